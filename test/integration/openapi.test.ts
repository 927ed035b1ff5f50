/**
 * GET /api/openapi.json (issue #12): an OpenAPI 3.1 document of every /api
 * route the app mounted (the core's and the features', as startTestWeft
 * starts them), made from the zod schemas the routes validate with — so a
 * request a schema refuses names the field the document describes.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../engine/api/api-routes.js';
import { routes } from '../../engine/api/api-routes.js';
import { OPERATORS } from '../../engine/api/access.js';
import { openApiDocument, openApiPath } from '../../engine/api/openapi/openapi-document.js';
import { addUser, bearer } from '../fixtures/people/client.js';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';

type Operation = { parameters: { name: string; in: string; required: boolean; schema: Record<string, any> }[]; requestBody?: { content: Record<string, { schema: Record<string, any> }> }; 'x-weft-access': { roles: string[]; scopes: string[] }; description: string };

describe('OpenAPI document', () => {
  let t: TestWeft;
  let catalog: RouteInfo[];
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>> };
  const operation = (method: string, path: string) => doc.paths[openApiPath(path)]?.[method.toLowerCase()];

  beforeAll(async () => {
    t = await startTestWeft();
    catalog = t.weft.app!.locals.apiRoutes;
    const res = await t.api.get('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('validates against the OpenAPI 3.1 schema', async () => {
    // given the document as served; when validated
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    // then
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has one operation for every declared route, features\' routes included, with its path parameters and who may call it', () => {
    // given the routes the app mounted (core and features)
    expect(catalog.some((r) => r.path === '/users')).toBe(true); // a feature's
    expect(catalog.some((r) => r.path === '/process-instances/:id/audit/verify')).toBe(true);
    // then
    const missing = catalog.filter((r) => !operation(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    const operations = Object.values(doc.paths).flatMap((p) => Object.keys(p));
    expect(operations.length).toBe(catalog.length);
    for (const route of catalog) {
      const op = operation(route.method, route.path);
      const declared = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
      expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), `${route.method} ${route.path}`).toEqual(declared);
      expect(op['x-weft-access']).toEqual({ roles: [...route.access.roles], scopes: [...(route.access.scopes ?? [])] });
      expect(op.description).toContain('Who may call: the ');
    }
  });

  it('documents the schema of every route that takes a body or a query', () => {
    const withInput = catalog.filter((r) => r.request?.body || r.request?.query || r.request?.form);
    expect(withInput.length).toBeGreaterThan(20);
    for (const route of withInput) {
      const op = operation(route.method, route.path);
      if (route.request?.body) expect(op.requestBody?.content['application/json']?.schema?.type, `${route.method} ${route.path}`).toBe('object');
      if (route.request?.form) expect(Object.keys(op.requestBody?.content ?? {})).toContain(route.request.form.contentType);
      if (route.request?.query) expect(op.parameters.some((p) => p.in === 'query'), `${route.method} ${route.path}`).toBe(true);
    }
    // every route that reads a JSON body declares it (a route that reads one undeclared throws a bug at its first request)
    for (const id of ['POST /process-instances', 'POST /jobs/:key/fail', 'POST /messages', 'POST /users', 'PUT /secrets/:name', 'POST /tokens', 'POST /tasks/:id/complete']) {
      const [method, path] = id.split(' ');
      expect(catalog.find((r) => r.method === method && r.path === path)?.request?.body, id).toBeDefined();
    }
  });

  it('names in a refusal the field the document describes (start an instance; fail a job)', async () => {
    // given what the document says of two bodies
    const start = operation('POST', '/process-instances').requestBody!.content['application/json'].schema;
    expect(start.required).toContain('processId');
    expect(start.properties.businessKey).toMatchObject({ type: 'string', maxLength: 255 });
    const fail = operation('POST', '/jobs/:key/fail').requestBody!.content['application/json'].schema;
    expect(fail.required).toEqual(expect.arrayContaining(['retries', 'errorMessage']));
    expect(fail.properties.retries).toMatchObject({ type: 'integer', minimum: 0 });
    // when requests break exactly those rules
    const noProcess = await t.api.post('/api/process-instances', { businessKey: 'k'.repeat(256) });
    const negative = await t.api.post('/api/jobs/3f2b9c1e-0d4a-4c1b-9a5e-7b8c6d5e4f3a/fail', { retries: -1, errorMessage: 'x' });
    // then each 400 names those fields
    expect(noProcess.status).toBe(400);
    expect(noProcess.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['businessKey', 'processId']);
    expect(negative.status).toBe(400);
    expect(negative.body.error.details.map((d: { path: string }) => d.path)).toEqual(['retries']);
  });

  it('documents a query the same way it is checked (list instances)', async () => {
    const limit = operation('GET', '/process-instances').parameters.find((p) => p.name === 'limit')!;
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { maximum: 500 } });
    const res = await t.api.get('/api/process-instances?limit=501');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['limit']);
  });

  it('documents a route declared without schemas, with its path parameters', () => {
    // given a route as another branch might add it: access only
    const declared = routes('/widgets', (r) => r.post('/:widgetId/polish', OPERATORS, (_req, res) => void res.end()));
    // when
    const document = openApiDocument(declared, { title: 't', version: '1' }) as typeof doc;
    // then
    const op = document.paths['/api/widgets/{widgetId}/polish'].post;
    expect(op.parameters).toEqual([{ name: 'widgetId', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(op['x-weft-access']).toEqual({ roles: ['admin', 'operator'], scopes: [] });
  });

  it('is for authenticated callers: anyone signed in or with a token reads it, nobody else', async () => {
    await addUser(t.api, 'doc-reader', 'user');
    const token = (await t.api.post('/api/tokens', { user: 'doc-reader', name: 'docs' })).body.token;
    expect((await bearer(t.weft.url!, token).get('/api/openapi.json')).status).toBe(200);
    expect((await fetch(`${t.weft.url}/api/openapi.json`)).status).toBe(401);
  });
});
