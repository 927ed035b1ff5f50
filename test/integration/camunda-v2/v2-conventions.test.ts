/**
 * /v2 past the happy path: access tokens that are forged, tampered with or
 * expired are refused; a start picks the version asked for (by number or by
 * definition key); awaitCompletion gives up with a 504 past requestTimeout;
 * search pages follow their cursors.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { signingSecret, signToken, tokenRef } from '../../../engine/features/camunda-v2/jwt.js';

const waits = readFileSync(new URL('./waits.bpmn', import.meta.url), 'utf8');
const oneJob = readFileSync(new URL('./one-job.bpmn', import.meta.url), 'utf8');

describe('Camunda 8 REST conventions on /v2', () => {
  let t: TestWeft;
  let v2: (path: string, body?: unknown, token?: string) => Promise<{ status: number; type: string | null; body: any }>;
  beforeAll(async () => {
    t = await startTestWeft();
    v2 = async (path, body, token = t.weft.adminToken) => {
      const res = await fetch(`${t.weft.url}/v2${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
    };
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  async function deploy(xml: string, name = 'waits.bpmn') {
    const form = new FormData();
    form.append('resources', new File([xml], name));
    const res = await fetch(`${t.weft.url}/v2/deployments`, { method: 'POST', headers: { authorization: `Bearer ${t.weft.adminToken}` }, body: form });
    expect(res.status).toBe(200);
    return (await res.json()).deployments[0].processDefinition;
  }

  it('refuses an access token that is forged, tampered with or expired', async () => {
    // given
    await addUser(t.api, 'ursula', 'user');
    const ursula = (await t.api.post('/api/tokens', { user: 'ursula', name: 'v2' })).body.token;
    const issued = await (await fetch(`${t.weft.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'ursula', client_secret: ursula }) })).json();
    const [head, payload, signature] = issued.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const admin = { id: 'admin', roles: ['admin'], via: 'admin-token' as const };
    const adminRef = tokenRef(admin, t.weft.adminToken)!;
    const elevated = Buffer.from(JSON.stringify({ ...claims, sub: 'admin', tid: adminRef })).toString('base64url');
    const secret = await signingSecret(t.weft.db);
    const expired = signToken(secret, admin, adminRef, Date.now() - 3_600_000).token;
    const foreign = signToken(Buffer.from('another-server-secret'), admin, adminRef).token;
    const otherAdmin = signToken(secret, admin, tokenRef(admin, 'an-earlier-admin-token')!).token;
    // when
    const genuine = await v2('/authentication/me', undefined, issued.access_token);
    const results = await Promise.all([`${head}.${elevated}.${signature}`, expired, foreign, otherAdmin].map((token) => v2('/process-instances/search', {}, token)));
    const stillUser = await v2('/process-instances/search', {}, issued.access_token);
    // then
    expect(issued.expires_in).toBeLessThanOrEqual(3600);
    expect(genuine.body.username).toBe('ursula');
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(Buffer.from(payload, 'base64url').toString()).not.toContain(ursula);
    expect(results.every((r) => r.type?.startsWith('application/problem+json'))).toBe(true);
    expect(stillUser.status).toBe(403);
  });

  it('ends an access token the moment its Weft token is revoked or its user disabled, and follows a change of role at once', async () => {
    // given: an operator's access token, and one of a user to be disabled
    await addUser(t.api, 'otto', 'operator');
    await addUser(t.api, 'dora', 'user');
    const otto = (await t.api.post('/api/tokens', { user: 'otto', name: 'v2' })).body;
    const dora = (await t.api.post('/api/tokens', { user: 'dora', name: 'v2' })).body;
    const mint = async (user: string, secret: string) =>
      (await (await fetch(`${t.weft.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: user, client_secret: secret }) })).json()).access_token as string;
    const ottoAccess = await mint('otto', otto.token);
    const doraAccess = await mint('dora', dora.token);
    const patchUser = async (name: string, body: unknown) =>
      (await fetch(`${t.weft.url}/api/users/${name}`, { method: 'PATCH', headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
    const before = await v2('/process-instances/search', {}, ottoAccess);
    // when: otto is demoted to user, then his token revoked; dora is disabled
    expect(await patchUser('otto', { role: 'user' })).toBe(200);
    const demoted = await v2('/process-instances/search', {}, ottoAccess);
    expect((await t.api.post(`/api/tokens/${otto.id}/revoke`, {})).status).toBe(200);
    const revoked = await v2('/authentication/me', undefined, ottoAccess);
    expect(await patchUser('dora', { disabled: true })).toBe(200);
    const disabled = await v2('/authentication/me', undefined, doraAccess);
    // then
    expect(before.status).toBe(200);
    expect(demoted.status).toBe(403);
    expect(revoked.status).toBe(401);
    expect(disabled.status).toBe(401);
  });

  it('starts the version asked for, by number or by definition key', async () => {
    // given
    const v1 = await deploy(waits);
    const v2def = await deploy(waits.replace('name="Waits"', 'name="Waits again"'));
    // when
    const latest = await v2('/process-instances', { processDefinitionId: 'v2-waits' });
    const first = await v2('/process-instances', { processDefinitionId: 'v2-waits', processDefinitionVersion: 1 });
    const byKey = await v2('/process-instances', { processDefinitionKey: v1.processDefinitionKey });
    const unknownKey = await v2('/process-instances', { processDefinitionKey: '999999999' });
    // then
    expect([v1.processDefinitionVersion, v2def.processDefinitionVersion]).toEqual([1, 2]);
    expect(latest.body).toMatchObject({ processDefinitionVersion: 2, processDefinitionKey: v2def.processDefinitionKey, tenantId: '<default>' });
    expect(first.body).toMatchObject({ processDefinitionVersion: 1, processDefinitionKey: v1.processDefinitionKey });
    expect(byKey.body).toMatchObject({ processDefinitionVersion: 1, processDefinitionKey: v1.processDefinitionKey });
    expect(unknownKey.status).toBe(404);
    expect(unknownKey.type).toMatch(/^application\/problem\+json/);
  });

  it('gives up awaiting the end past requestTimeout with a 504, the instance still running', async () => {
    // when
    const started = Date.now();
    const res = await v2('/process-instances', { processDefinitionId: 'v2-waits', awaitCompletion: true, requestTimeout: 300 });
    // then
    expect(res.status).toBe(504);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops awaiting the end once the client hangs up', async () => {
    // given: a process that waits for a job, and reads of the instance counted
    await deploy(oneJob, 'one-job.bpmn');
    const engine = t.weft.engine;
    const read = engine.getInstance.bind(engine);
    let reads = 0;
    engine.getInstance = async (id: string) => ((reads += 1), read(id));
    try {
      // when: the client gives up after 300 ms of a 10 s wait
      const hangUp = new AbortController();
      setTimeout(() => hangUp.abort(), 300);
      const call = fetch(`${t.weft.url}/v2/process-instances`, {
        method: 'POST',
        signal: hangUp.signal,
        headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ processDefinitionId: 'v2-one-job', awaitCompletion: true, requestTimeout: 10_000 }),
      });
      await expect(call).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 200));
      const atHangUp = reads;
      await new Promise((r) => setTimeout(r, 1500));
      // then: it was waiting, and has stopped reading
      expect(atHangUp).toBeGreaterThan(0);
      expect(reads).toBe(atHangUp);
    } finally {
      engine.getInstance = read;
    }
  });

  it('marks instances with an open incident in a search, as the instance itself does', async () => {
    // given: an instance whose job fails for good (the one above waits too)
    await v2('/process-instances', { processDefinitionId: 'v2-one-job' });
    const job = await v2('/jobs/activation', { type: 'v2-one-job', maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 5_000, worker: 'w' });
    expect(job.body.jobs).toHaveLength(1);
    expect((await v2(`/jobs/${job.body.jobs[0].jobKey}/failure`, { retries: 0, errorMessage: 'broken' })).status).toBe(204);
    // when
    const failed = job.body.jobs[0].processInstanceKey;
    const found = await v2('/process-instances/search', { filter: { processInstanceKey: failed } });
    const others = await v2('/process-instances/search', { filter: { processDefinitionId: 'v2-one-job' } });
    // then
    expect(found.body.items[0].hasIncident).toBe(true);
    expect(others.body.items.length).toBe(2);
    expect(others.body.items.filter((i: { hasIncident: boolean }) => i.hasIncident).map((i: { processInstanceKey: string }) => i.processInstanceKey)).toEqual([failed]);
  });

  it('pages a search by its cursors', async () => {
    // given: the instances started above, all ACTIVE
    const all = await v2('/process-instances/search', { filter: { processDefinitionId: 'v2-waits', state: { $eq: 'ACTIVE' } } });
    // when
    const firstPage = await v2('/process-instances/search', { filter: { processDefinitionId: 'v2-waits' }, page: { limit: 2 } });
    const next = await v2('/process-instances/search', { filter: { processDefinitionId: 'v2-waits' }, page: { limit: 2, after: firstPage.body.page.endCursor } });
    // then
    const keys = all.body.items.map((i: { processInstanceKey: string }) => i.processInstanceKey);
    expect(all.body.page.totalItems).toBe(4);
    expect([...firstPage.body.items, ...next.body.items].map((i: { processInstanceKey: string }) => i.processInstanceKey)).toEqual(keys);
    expect(firstPage.body.page.totalItems).toBe(4);
  });

  it('refuses a page that starts deeper than 10,000 items, by offset or by a forged cursor, as a problem', async () => {
    const deep = await v2('/process-instances/search', { page: { from: 9_000_000_000_000 } });
    const forged = await v2('/process-instances/search', { page: { after: Buffer.from('9000000000000').toString('base64url') } });
    expect([deep.status, forged.status]).toEqual([400, 400]);
    expect(deep.body.detail).toContain('page.from');
    expect(forged.body.detail).toContain('past 10000 items');
  });
  it('answers a deployment in the wrong field, with a broken diagram or of no files as a problem, and deploys nothing', async () => {
    // given
    const before = (await t.api.get('/api/process-definitions')).body;
    const send = async (parts: [string, File | string][]) => {
      const form = new FormData();
      for (const [name, value] of parts) form.append(name, value);
      const res = await fetch(`${t.weft.url}/v2/deployments`, { method: 'POST', headers: { authorization: `Bearer ${t.weft.adminToken}` }, body: form });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
    };
    // when
    const wrongField = await send([['files', new File([waits], 'waits.bpmn')]]);
    const broken = await send([['resources', new File(['<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p" isExecutable="true"><bpmn:sequenceFlow id="f" sourceRef="a" targetRef="b"/></bpmn:process></bpmn:definitions>'], 'broken.bpmn')]]);
    const none = await send([['tenantId', '<default>']]);
    const otherTenant = await send([['resources', new File([waits], 'waits.bpmn')], ['tenantId', 'acme']]);
    // then
    expect([wrongField.status, broken.status, none.status, otherTenant.status]).toEqual([400, 422, 400, 400]);
    expect([wrongField, broken, none, otherTenant].every((r) => r.type?.startsWith('application/problem+json'))).toBe(true);
    expect(wrongField.body.detail).toContain("'resources'");
    expect(otherTenant.body.detail).toContain('tenantId');
    expect((await t.api.get('/api/process-definitions')).body).toEqual(before);
  });
});
