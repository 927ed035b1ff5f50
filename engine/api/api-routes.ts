/**
 * Declaring /api routes: every route names its method, its path and who may
 * call it (access.ts) in one declaration, and all of them are mounted on one
 * case-sensitive, strict router, so `/api/Users` or `/api/users/` is no route
 * at all (404) rather than the same route under a different spelling.
 *
 * The list of declared routes is kept (`catalogOf`) so tests can walk every
 * route with every role and credential.
 *
 * A route may also carry what it reads — its query and body schemas (zod),
 * its path parameters — and a summary: `r.post(path, { access, summary, body },
 * handler)`. Those schemas are the route's one edge: they validate the request
 * before its handler runs (route-input.ts), and they are what the OpenAPI
 * document says (openapi/openapi-document.ts), so what is documented is what
 * is checked. A route declared with only its access still works and is still
 * documented (with its path parameters).
 */
import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { requireAccess, type Access } from './access.js';
import { validateInput } from './route-input.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route reads, as zod schemas. */
export interface RouteRequest {
  /** Path parameters, for the document only: a malformed id is the route's own 404, not a 400. */
  params?: z.ZodObject;
  /** The query string: parsed before the handler runs, read with `queryOf`. */
  query?: z.ZodType;
  /** A JSON body: parsed before the handler runs (absent is `{}`), read with `bodyOf`. */
  body?: z.ZodType;
  /** A body that is not JSON (a multipart upload), for the document only: its own parser checks it. */
  form?: { contentType: string; schema: z.ZodType };
}

/** The second argument of a declaration: who may call it, and optionally what it reads and what it does. */
export interface RouteSpec extends RouteRequest {
  access: Access;
  /** One line for the document: what the route does. */
  summary?: string;
  description?: string;
}

export interface ApiRoute {
  method: Method;
  /** Express path relative to /api, e.g. `/process-definitions/:key/xml`. */
  path: string;
  access: Access;
  handlers: RequestHandler[];
  summary?: string;
  description?: string;
  request?: RouteRequest;
}

/** What the catalog says of a route (no handlers). */
export type RouteInfo = Pick<ApiRoute, 'method' | 'path' | 'access' | 'summary' | 'description' | 'request'>;

type Declare = (path: string, access: Access | RouteSpec, ...handlers: RequestHandler[]) => void;

const isSpec = (a: Access | RouteSpec): a is RouteSpec => 'access' in a;

/** Declares the routes under one path prefix: `routes('/jobs', (r) => r.post('/:key/complete', WORKERS, handler))`. */
export function routes(prefix: string, declare: (r: Record<Lowercase<Method>, Declare>) => void): ApiRoute[] {
  const out: ApiRoute[] = [];
  const add =
    (method: Method): Declare =>
    (path, spec, ...handlers) => {
      // `/` under a prefix is the prefix itself: strict routing makes `/jobs/` another path.
      const full = path === '/' ? prefix : `${prefix}${path}`;
      if (!isSpec(spec)) return void out.push({ method, path: full || '/', access: spec, handlers });
      const { access, summary, description, ...request } = spec;
      out.push({ method, path: full || '/', access, handlers, summary, description, request });
    };
  declare({ get: add('GET'), post: add('POST'), put: add('PUT'), patch: add('PATCH'), delete: add('DELETE') });
  return out;
}

/** One router for all declared routes; a route declared twice is a bug found at start. */
export function mountRoutes(router: Router, declared: ApiRoute[]): RouteInfo[] {
  const seen = new Set<string>();
  for (const route of declared) {
    const id = `${route.method} ${route.path}`;
    if (seen.has(id)) throw new Error(`Route declared twice: ${id}`);
    seen.add(id);
    const method = route.method.toLowerCase() as Lowercase<Method>;
    const input = route.request?.query || route.request?.body ? [validateInput(route.request)] : [];
    router[method](route.path, requireAccess(route.method, route.path, route.access), ...input, ...route.handlers);
  }
  return declared.map(({ method, path, access, summary, description, request }) => ({ method, path, access, summary, description, request }));
}

/** Router options for /api: paths match letter for letter, a trailing slash is another path. */
export const STRICT_ROUTING = { caseSensitive: true, strict: true } as const;
