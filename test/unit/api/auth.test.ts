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
        return token === 'alice-token' ? { id: 'alice', roles: ['user'] } : null;
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

  it('checks the token before reading the body', async () => {
    h = await startApp();
    const res = await fetch(`${h.base}/api/process-instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(401);
  });
});
