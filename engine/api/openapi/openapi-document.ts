/**
 * The OpenAPI 3.1 document of /api, made from the routes as declared
 * (api-routes.ts): each route's path parameters, its query and body schemas —
 * the zod schemas that validate its requests, turned into JSON Schema by
 * zod's own `z.toJSONSchema` (OpenAPI 3.1 speaks JSON Schema 2020-12, so the
 * output needs no translation and no second schema language) — its summary,
 * and who may call it. Pure: routes in, a document out.
 *
 * Schemas are rendered for input (`io: 'input'`): what a caller sends, so a
 * field with a default is optional and a coerced query number is a number.
 */
import { z } from 'zod';
import { describeAccess } from '../access.js';
import type { RouteInfo } from '../api-routes.js';

type Json = Record<string, unknown>;

export interface DocumentInfo {
  title: string;
  version: string;
  description?: string;
}

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'A stable code (engine/errors.ts), e.g. BAD_REQUEST, FORBIDDEN, INSTANCE_NOT_FOUND' },
        message: { type: 'string' },
        details: { description: 'For BAD_REQUEST: one {path, message} per problem, path naming the field' },
      },
    },
  },
};

const SECURITY_SCHEMES: Json = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'The admin token (WEFT_ADMIN_TOKEN) or a personal token (POST /api/tokens); a token with the worker or agent-worker scope may also use the job API.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'weft_session',
    description: 'A browser session from /sign-in. A request that changes anything must also send the header X-CSRF-Token (GET /api/me gives it).',
  },
};

/** JSON Schema for one zod schema, as a caller sends it. */
export function jsonSchemaOf(schema: z.ZodType): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** `/process-instances/:id/audit` → `/api/process-instances/{id}/audit`. */
export const openApiPath = (path: string) => `/api${path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const pathParams = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);

const operationId = (route: RouteInfo) =>
  `${route.method.toLowerCase()}${route.path.replace(/:([A-Za-z0-9_]+)/g, 'By-$1').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`;

function parameters(route: RouteInfo): Json[] {
  const params = route.request?.params ? jsonSchemaOf(route.request.params) : undefined;
  const paramProps = (params?.properties ?? {}) as Record<string, Json>;
  const out: Json[] = pathParams(route.path).map((name) => {
    const { description, ...schema } = paramProps[name] ?? { type: 'string' };
    return { name, in: 'path', required: true, schema, ...(description ? { description } : {}) };
  });
  if (route.request?.query) {
    const query = jsonSchemaOf(route.request.query);
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((query.properties ?? {}) as Record<string, Json>)) {
      const { description, ...schema } = property;
      out.push({ name, in: 'query', required: required.has(name), schema, ...(description ? { description } : {}) });
    }
  }
  return out;
}

function requestBody(route: RouteInfo): Json | undefined {
  const { body, form } = route.request ?? {};
  if (!body && !form) return undefined;
  const content: Json = {};
  let required = false;
  if (body) {
    const schema = jsonSchemaOf(body);
    // An absent body is read as `{}`: it is required only where `{}` would not do.
    required = ((schema.required as string[] | undefined) ?? []).length > 0;
    content['application/json'] = { schema };
  }
  if (form) content[form.contentType] = { schema: jsonSchemaOf(form.schema) };
  return { required, content };
}

function operation(route: RouteInfo): Json {
  const access = `Who may call: the ${describeAccess(route.access)}.`;
  const body = requestBody(route);
  return {
    operationId: operationId(route),
    tags: [route.path.split('/')[1] || 'api'],
    summary: route.summary ?? `${route.method} ${openApiPath(route.path)}`,
    description: [route.description, access].filter(Boolean).join('\n\n'),
    parameters: parameters(route),
    ...(body ? { requestBody: body } : {}),
    responses: {
      '2XX': { description: 'Success' },
      '4XX': { description: 'Refused: 400 names each field and why, 401 no valid credential, 403 not allowed, 404 no such thing, 409 not in this state', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    'x-weft-access': { roles: [...route.access.roles], scopes: [...(route.access.scopes ?? [])] },
  };
}

export function openApiDocument(routes: RouteInfo[], info: DocumentInfo): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { schemas: { Error: ERROR_SCHEMA }, securitySchemes: SECURITY_SCHEMES },
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
  };
}
