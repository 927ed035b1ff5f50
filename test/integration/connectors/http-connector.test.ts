/**
 * The HTTP connector against a real HTTP peer (an express server started
 * here), run by the engine's own connector workers on diagrams made the way
 * Camunda's REST connector template writes them: retries and their backoff,
 * Retry-After, timeouts, a 404 mapped to a BPMN error, secrets, OAuth, the
 * outbound address guard and bad input.
 */
import { readFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

const ORDERS_TOKEN = `ot-${randomBytes(18).toString('base64url')}`;
const CLIENT_SECRET = `cs-${randomBytes(18).toString('base64url')}`;
const ACCESS_TOKEN = `at-${randomBytes(18).toString('base64url')}`;

/** The peer: every route counts its calls per X-Request-Id (or client), so each test has its own history. */
function startPeer() {
  const calls = new Map<string, { at: number; headers: Record<string, unknown>; query: unknown; body: unknown }[]>();
  const record = (key: string, req: express.Request) => {
    const list = calls.get(key) ?? [];
    list.push({ at: Date.now(), headers: req.headers, query: req.query, body: req.body });
    calls.set(key, list);
    return list.length;
  };
  const app = express();
  app.use(express.json(), express.urlencoded({ extended: false }));
  const id = (req: express.Request) => `${req.path}:${req.get('x-request-id')}`;
  app.get('/orders/ok', (req, res) => {
    record(id(req), req);
    res.json({ status: 'open' });
  });
  app.get('/orders/flaky', (req, res) => {
    if (record(id(req), req) <= 2) return res.status(503).json({ error: 'warming up' });
    res.json({ status: 'shipped' });
  });
  app.get('/orders/busy', (req, res) => {
    if (record(id(req), req) === 1) return res.status(429).set('Retry-After', '1').json({ error: 'slow down' });
    res.json({ status: 'packed' });
  });
  app.get('/orders/slow', (req, res) => {
    const n = record(id(req), req);
    setTimeout(() => res.json({ status: 'late' }), n === 1 ? 2500 : 0);
  });
  app.get('/orders/missing', (req, res) => {
    record(id(req), req);
    res.status(404).json({ error: 'no such order' });
  });
  app.get('/orders/big', (req, res) => {
    record(id(req), req);
    res.type('text/plain').send('x'.repeat(4000));
  });
  app.post('/echo', (req, res) => {
    record('echo', req);
    res.json({ authorization: req.get('authorization'), signature: req.get('x-signature'), body: req.body });
  });
  app.post('/oauth/token', (req, res) => {
    record('token', req);
    const ok = req.body.grant_type === 'client_credentials' && req.body.client_id === 'billing-app' && req.body.client_secret === CLIENT_SECRET;
    if (!ok) return res.status(401).json({ error: 'invalid_client' });
    res.json({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });
  });
  app.get('/invoices', (req, res) => {
    record('invoices', req);
    if (req.get('authorization') !== `Bearer ${ACCESS_TOKEN}`) return res.status(401).json({ error: 'unauthorized' });
    res.json({ invoices: [{ id: 1 }, { id: 2 }, { id: 3 }] });
  });
  return new Promise<{ url: string; calls: typeof calls; server: Server }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}`, calls, server });
    });
  });
}

describe('the HTTP connector', () => {
  let t: TestWeft;
  let peer: Awaited<ReturnType<typeof startPeer>>;
  const log: string[] = [];
  const previous = { orders: process.env.WEFT_SECRET_ORDERS_TOKEN, billing: process.env.WEFT_SECRET_BILLING_CLIENT_SECRET };

  beforeAll(async () => {
    process.env.WEFT_SECRET_ORDERS_TOKEN = ORDERS_TOKEN;
    process.env.WEFT_SECRET_BILLING_CLIENT_SECRET = CLIENT_SECRET;
    peer = await startPeer();
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        log.push(String(chunk));
        done();
      },
    });
    // The peer listens on 127.0.0.1, which an administrator allows here; every other private address stays refused.
    t = await startTestWeft({ logger: undefined, logStream }, { config: { logLevel: 'debug', connectors: { enabled: true, allow: ['127.0.0.1'], maxResponseBytes: 2000 } } });
    const deployed = await t.api.deploy(['rest-call.bpmn', 'rest-secret.bpmn', 'rest-oauth.bpmn'].map((name) => ({ name, xml: fixture(name) })));
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => peer?.server.close(resolve));
    for (const [name, value] of [['WEFT_SECRET_ORDERS_TOKEN', previous.orders], ['WEFT_SECRET_BILLING_CLIENT_SECRET', previous.billing]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  async function call(path: string, variables: Record<string, unknown> = {}) {
    const requestId = randomUUID();
    const res = await t.api.post('/api/process-instances', { processId: 'rest-call', variables: { baseUrl: peer.url, path, verb: 'GET', requestId, ...variables } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id as string, requestId, calls: () => peer.calls.get(`${path}:${requestId}`) ?? [] };
  }
  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  const audit = async (id: string) => (await t.api.get(`/api/process-instances/${id}/audit`)).body.items as any[];
  const completed = (id: string) => eventually(async () => ((await instance(id)).state === 'COMPLETED' ? instance(id) : null), 15_000);
  const openIncident = (id: string) => eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${id}&state=OPEN`)).body.items[0], 15_000);

  it('calls the API and puts the response into the result variable and the result expression', async () => {
    // when
    const run = await call('/orders/ok');

    // then
    const done = await completed(run.id);
    expect(done.variables.response).toMatchObject({ status: 200, body: { status: 'open' }, headers: expect.objectContaining({ 'content-type': expect.stringContaining('application/json') }) });
    expect(done.variables.orderStatus).toBe('open');
    expect(run.calls()).toHaveLength(1);
    expect(run.calls()[0].query).toEqual({ channel: 'web' });
  });

  it('retries a 503 with the diagram’s backoff and completes when the API recovers', async () => {
    // when: the peer answers 503 twice, then 200
    const run = await call('/orders/flaky');

    // then
    const done = await completed(run.id);
    expect(done.variables.orderStatus).toBe('shipped');
    expect(run.calls()).toHaveLength(3);
    const failures = (await audit(run.id)).filter((e) => e.type === 'JOB_FAILED');
    expect(failures.map((e) => e.payload.retries)).toEqual([2, 1]);
    expect(failures[0].payload).toMatchObject({ retryBackoffMs: 100, errorMessage: expect.stringContaining('503') });
  });

  it('waits as long as Retry-After asks, though the diagram’s backoff is shorter', async () => {
    // when: 429 with Retry-After: 1, then 200
    const run = await call('/orders/busy');

    // then
    expect((await completed(run.id)).variables.orderStatus).toBe('packed');
    const [first, second] = run.calls();
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    expect((await audit(run.id)).find((e) => e.type === 'JOB_FAILED').payload).toMatchObject({ retries: 2, retryBackoffMs: 1000 });
  });

  it('gives up on a response slower than readTimeoutInSeconds and tries again', async () => {
    // when: the first answer comes after 2.5 s, the read timeout is 1 s
    const run = await call('/orders/slow');

    // then
    expect((await completed(run.id)).variables.orderStatus).toBe('late');
    expect(run.calls()).toHaveLength(2);
    expect((await audit(run.id)).find((e) => e.type === 'JOB_FAILED').payload.errorMessage).toMatch(/sent nothing for 1 s \(readTimeoutInSeconds\)/);
  });

  it('maps a 404 through errorExpression to a BPMN error that the boundary event catches, without retrying', async () => {
    // when
    const run = await call('/orders/missing');

    // then
    const done = await completed(run.id);
    const events = await audit(run.id);
    expect(events.find((e) => e.type === 'ERROR_CAUGHT')).toMatchObject({ elementId: 'order-missing', payload: { errorCode: 'NOT_FOUND' } });
    expect(events.some((e) => e.type === 'ELEMENT_COMPLETED' && e.elementId === 'not-found')).toBe(true);
    expect(events.filter((e) => e.type === 'JOB_FAILED')).toEqual([]);
    expect(done.variables.missing).toEqual({ error: 'no such order' });
    expect(run.calls()).toHaveLength(1);
  });

  it('refuses a response over the size limit: an incident that says so, no retry', async () => {
    // when: 4000 bytes, the limit is 2000
    const run = await call('/orders/big');

    // then
    const incident = await openIncident(run.id);
    expect(incident.message).toMatch(/larger than the HTTP connector's limit of 2000 bytes/);
    expect(run.calls()).toHaveLength(1);
  });

  it('refuses a private address an administrator has not allowed: an incident naming the address and the setting, and no call', async () => {
    // when: the cloud metadata address
    const run = await call('/latest/meta-data', { baseUrl: 'http://169.254.169.254' });

    // then
    const incident = await openIncident(run.id);
    expect(incident).toMatchObject({ type: 'JOB_NO_RETRIES', elementId: 'fetch-order' });
    expect(incident.message).toMatch(/169\.254\.169\.254/);
    expect(incident.message).toMatch(/link-local/);
    expect(incident.message).toMatch(/WEFT_CONNECTOR_ALLOW/);
    expect((await audit(run.id)).filter((e) => e.type === 'JOB_FAILED').map((e) => e.payload.retries)).toEqual([0]);
  });

  it('refuses bad input without calling: an incident naming the field', async () => {
    // when
    const run = await call('/orders/ok', { verb: 'FETCH' });

    // then
    const incident = await openIncident(run.id);
    expect(incident.message).toMatch(/input 'method': must be one of GET, POST/);
    expect(run.calls()).toHaveLength(0);
    expect((await audit(run.id)).filter((e) => e.type === 'JOB_FAILED').map((e) => e.payload.retries)).toEqual([0]);
  });

  it('hands {{secrets.NAME}} to the server and keeps it out of variables, audit, incidents and logs', async () => {
    // when
    const res = await t.api.post('/api/process-instances', { processId: 'rest-secret', variables: { baseUrl: peer.url } });
    const done = await completed(res.body.id);

    // then: the server got the secret in the token, the header and the body
    const seen = peer.calls.get('echo')!.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${ORDERS_TOKEN}`);
    expect(seen.headers['x-signature']).toBe(`sig-${ORDERS_TOKEN}`);
    expect(seen.body).toEqual({ note: `token is ${ORDERS_TOKEN}` });
    // and its echo is scrubbed before it became a variable
    expect(done.variables.echo.body).toMatchObject({ authorization: expect.stringContaining('[redacted]'), signature: 'sig-[redacted]', body: { note: 'token is [redacted]' } });
    const record = JSON.stringify([done, await audit(res.body.id), (await t.api.get(`/api/incidents?processInstanceId=${res.body.id}`)).body]);
    expect(record).not.toContain(ORDERS_TOKEN);
    expect(record).toContain('{{secrets.ORDERS_TOKEN}}');
    expect(log.join('')).not.toContain(ORDERS_TOKEN);
  });

  it('never fills in a placeholder that arrives inside process data: only the secrets the task itself names', async () => {
    // when a variable (a webhook payload, a form, a model's arguments) holds a placeholder that reaches a header
    const run = await call('/orders/ok', { requestId: '{{secrets.BILLING_CLIENT_SECRET}}' });

    // then nothing is sent, and the incident says why
    const incident = await openIncident(run.id);
    expect(incident.message).toContain("Secret 'BILLING_CLIENT_SECRET' in input 'headers.X-Request-Id' is not named by the task's own input mappings or headers");
    const sent = JSON.stringify([...peer.calls.values()]);
    expect(sent).not.toContain(CLIENT_SECRET);
  });

  it('names an unknown secret and the field it is in, as an incident', async () => {
    // given: the diagram's secret is not configured
    delete process.env.WEFT_SECRET_ORDERS_TOKEN;
    try {
      // when
      const res = await t.api.post('/api/process-instances', { processId: 'rest-secret', variables: { baseUrl: peer.url } });

      // then
      const incident = await openIncident(res.body.id);
      expect(incident.message).toMatch(/Secret 'ORDERS_TOKEN' used in input .*'authentication.token'.* is not set/);
      expect(incident.message).toContain("'body.note'");
      expect(incident.message).toMatch(/WEFT_SECRET_ORDERS_TOKEN/);
    } finally {
      process.env.WEFT_SECRET_ORDERS_TOKEN = ORDERS_TOKEN;
    }
  });

  it('runs the README example: processes/service-health.bpmn against the engine’s own /health', async () => {
    // given
    const xml = readFileSync(new URL('../../../processes/service-health.bpmn', import.meta.url), 'utf8');
    expect((await t.api.deploy([{ name: 'service-health.bpmn', xml }])).status).toBe(201);

    // when
    const res = await t.api.post('/api/process-instances', { processId: 'service-health', variables: { baseUrl: t.weft.url } });

    // then
    expect((await completed(res.body.id)).variables.serviceStatus).toBe('ok');
  });

  it('fetches an OAuth 2.0 client-credentials token from the token endpoint and calls with it', async () => {
    // when
    const res = await t.api.post('/api/process-instances', { processId: 'rest-oauth', variables: { baseUrl: peer.url } });

    // then
    const done = await completed(res.body.id);
    expect(done.variables.invoiceCount).toBe(3);
    expect(peer.calls.get('token')!.at(-1)!.body).toEqual({ grant_type: 'client_credentials', audience: 'https://billing.example', scope: 'invoices:read', client_id: 'billing-app', client_secret: CLIENT_SECRET });
    const record = JSON.stringify([done, await audit(res.body.id)]) + log.join('');
    expect(record).not.toContain(CLIENT_SECRET);
    expect(record).not.toContain(ACCESS_TOKEN);
  });
});
