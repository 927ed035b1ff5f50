import { afterEach, describe, expect, it } from 'vitest';
import { startApp, TOKEN, type Harness } from './harness.js';

describe('bearer authentication', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('rejects a request without a token with 401 JSON', async () => {
    // given
    h = await startApp();
    // when
    const res = await fetch(`${h.base}/api/process-definitions`);
    // then
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await res.json()).error.code).toBe('UNAUTHORIZED');
    expect(h.engine.calls).toHaveLength(0);
  });

  it('rejects a wrong token with 401', async () => {
    h = await startApp();
    const res = await h.api('/api/process-definitions', { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Invalid bearer token' });
  });

  it('rejects a non-Bearer scheme with 401', async () => {
    h = await startApp();
    const res = await h.api('/api/process-definitions', { headers: { authorization: `Basic ${TOKEN}` } });
    expect(res.status).toBe(401);
  });

  it('passes the admin token as actor "admin"', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api(`/api/process-instances`, { method: 'POST', json: { processId: 'order' } });
    // then
    expect(res.status).toBe(201);
    expect(h.engine.lastCall('startInstance')?.[1]).toBe('admin');
  });

  it('asks the authenticate hook about other tokens and uses its actor', async () => {
    // given
    const seen: string[] = [];
    h = await startApp({
      authenticate: async (token) => {
        seen.push(token);
        return token === 'alice-token' ? { id: 'alice', roles: ['operator'] } : null;
      },
    });
    // when
    const ok = await h.api('/api/process-instances', { method: 'POST', json: { processId: 'order' }, headers: { authorization: 'Bearer alice-token' } });
    const bad = await h.api('/api/process-instances', { method: 'POST', json: { processId: 'order' }, headers: { authorization: 'Bearer mallory' } });
    // then
    expect(ok.status).toBe(201);
    expect(h.engine.lastCall('startInstance')?.[1]).toBe('alice');
    expect(bad.status).toBe(401);
    expect(seen).toEqual(['alice-token', 'mallory']);
  });

  it('lets only the roles of ROUTE_ROLES call a route, and says which role is needed', async () => {
    // given
    h = await startApp({ authenticate: async (token) => ({ id: `user:${token}`, user: token, roles: [token] }) });
    const as = (role: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
      h.api(path, { ...init, headers: { authorization: `Bearer ${role}` } }).then((r) => r.status);
    // then
    expect(await as('user', '/api/deployments', { method: 'POST', json: {} })).toBe(403);
    expect(await as('user', '/api/process-instances', { method: 'POST', json: { processId: 'order' } })).toBe(403);
    expect(await as('modeler', '/api/process-instances', { method: 'POST', json: { processId: 'order' } })).toBe(201);
    expect(await as('modeler', '/api/process-instances')).toBe(403);
    expect(await as('operator', '/api/process-instances')).toBe(200);
    expect(await as('user', '/api/incidents')).toBe(403);
    expect(await as('operator', '/api/jobs/activate', { method: 'POST', json: { type: 't', workerId: 'w' } })).toBe(403);
    expect(await as('user', '/api/process-definitions')).toBe(200);
    const refused = await h.api('/api/incidents', { headers: { authorization: 'Bearer user' } });
    expect((await refused.json()).error).toMatchObject({ code: 'FORBIDDEN', message: 'GET /api/incidents needs the admin or operator role' });
  });

  it('lets a token with the worker scope use the job API', async () => {
    h = await startApp({ authenticate: async () => ({ id: 'user:bot', user: 'bot', roles: ['user'], scopes: ['worker'] }) });
    const res = await h.api('/api/jobs/activate', { method: 'POST', json: { type: 't', workerId: 'w' }, headers: { authorization: 'Bearer bot' } });
    expect(res.status).toBe(200);
  });

  it('checks the token before reading the body', async () => {
    h = await startApp();
    const res = await fetch(`${h.base}/api/process-instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(401);
  });
});
