/**
 * Every /api route × every role and credential × spellings of its path
 * (issue #8): an actor a route does not admit gets 403 on the route's own
 * path and nothing at all on any other spelling, and none of those requests
 * changes anything. The table below is the policy as written down; the test
 * fails when a route is added, removed or re-declared without changing it.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../../engine/api/api-routes.js';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser, signIn } from '../../fixtures/people/client.js';
import { databaseFingerprint } from './database-fingerprint.js';
import { pathVariants } from './path-variants.js';
import { keysWith, randomSecretKey, secretsClient } from '../../fixtures/secrets/secrets-client.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TOOLS } from '../../../engine/features/mcp-server/tools/index.js';
import { keyOf } from '../../../engine/features/camunda-v2/keys.js';
import { V2_ROUTES } from '../../support/v2-route-list.js';

const xml = readFileSync(new URL('./access-matrix.bpmn', import.meta.url), 'utf8');
const signalsXml = readFileSync(new URL('./access-matrix-signals.bpmn', import.meta.url), 'utf8');
const dmn = readFileSync(new URL('./access-matrix.dmn', import.meta.url), 'utf8');

type Who = 'admin' | 'modeler' | 'operator' | 'user' | 'worker' | 'agent-worker';
const ALL: Who[] = ['admin', 'modeler', 'operator', 'user', 'worker', 'agent-worker'];
const STAFF: Who[] = ['admin', 'modeler', 'operator'];
const OPS: Who[] = ['admin', 'operator'];
/** Job API: admins and worker tokens (the agent-queue rule is the job routes' own, see agent-jobs-governed). */
const JOBS: Who[] = ['admin', 'worker', 'agent-worker'];
/** Publishing messages: the systems around a process and operations; it changes running instances and starts new ones. */
const PUBLISHERS: Who[] = ['admin', 'operator', 'worker', 'agent-worker'];
/** Broadcasting signals: the systems around a process and operations; it changes running instances and starts new ones. */
const BROADCASTERS: Who[] = ['admin', 'operator', 'worker', 'agent-worker'];

/** Who may call what: `METHOD path` → the actors it admits. */
const POLICY: Record<string, Who[]> = {
  'POST /deployments': ['admin', 'modeler'],
  'GET /process-definitions': ALL,
  'GET /process-definitions/:key/xml': ALL,
  'GET /decisions': STAFF,
  'GET /decisions/:decisionId/xml': STAFF,
  'POST /decisions/:decisionId/evaluate': STAFF,
  'POST /process-instances': STAFF,
  'GET /process-instances': OPS,
  'GET /process-instances/:id': OPS,
  'PUT /process-instances/:id/variables': OPS,
  'GET /process-definitions/statistics': OPS,
  'GET /events': OPS,
  'POST /process-instances/:id/cancel': OPS,
  'GET /process-instances/:id/audit': OPS,
  'GET /process-instances/:id/audit/verify': OPS,
  'GET /audit/verify': ['admin'],
  // It lists routes, not data: any authenticated caller.
  'GET /openapi.json': ALL,
  'POST /process-instances/:id/trigger': OPS,
  'POST /process-instances/:id/modification': OPS,
  'POST /process-instances/:id/migration': OPS,
  'POST /messages': PUBLISHERS,
  'POST /signals': BROADCASTERS,
  'POST /jobs/activate': JOBS,
  'POST /jobs/:key/activate': JOBS,
  'POST /jobs/:key/complete': JOBS,
  'POST /jobs/:key/fail': JOBS,
  'POST /jobs/:key/bpmn-error': JOBS,
  'POST /jobs/:key/retries': OPS,
  'GET /tasks': ALL,
  'GET /tasks/:id': ALL,
  'POST /tasks/:id/claim': ALL,
  'POST /tasks/:id/unclaim': ALL,
  'POST /tasks/:id/complete': ALL,
  'GET /incidents': OPS,
  'POST /incidents/:id/resolve': OPS,
  'GET /users': ['admin'],
  'POST /users': ['admin'],
  'GET /users/:name': ['admin'],
  'PATCH /users/:name': ['admin'],
  'DELETE /users/:name': ['admin'],
  'GET /tokens': ALL,
  'POST /tokens': ALL,
  'POST /tokens/:id/revoke': ALL,
  'GET /me': ALL,
  'GET /forms/:formId': ALL,
  'GET /inbox/tasks/:id': ALL,
  'GET /inbox/tasks': ALL,
  'GET /inbox/completed': ALL,
  'GET /agents': STAFF,
  'POST /agents/disable-all': OPS,
  'POST /agents/enable-all': OPS,
  'POST /agents/:name/disable': OPS,
  'POST /agents/:name/enable': OPS,
  'GET /agent-runs': OPS,
  'GET /agent-runs/:id': OPS,
  'GET /element-templates': ['admin', 'modeler'],
  'GET /secrets': ['admin'],
  'PUT /secrets/:name': ['admin'],
  'DELETE /secrets/:name': ['admin'],
  'GET /a2a/connections': STAFF,
  'POST /a2a/connections/:name/disable': OPS,
  'POST /a2a/connections/:name/enable': OPS,
  'GET /a2a/exposed': ['admin'],
  'PUT /a2a/exposed/:processId': ['admin'],
  'DELETE /a2a/exposed/:processId': ['admin'],
  'POST /batch-operations': OPS,
  'GET /batch-operations': OPS,
  'GET /batch-operations/:id': OPS,
  'POST /batch-operations/:id/cancellation': OPS,
};

/** What a caller who got through would have sent: the harmful version of each request. */
const BODIES: Record<string, unknown> = {
  'POST /process-instances': { processId: 'access-matrix' },
  'POST /decisions/:decisionId/evaluate': { variables: { amount: 1 } },
  'POST /jobs/activate': { type: 'work', workerId: 'mallory' },
  'POST /jobs/:key/activate': { workerId: 'mallory' },
  'POST /jobs/:key/complete': { variables: { forged: true } },
  'POST /jobs/:key/fail': { retries: 0, errorMessage: 'forged' },
  'POST /jobs/:key/bpmn-error': { errorCode: 'FORGED' },
  'POST /jobs/:key/retries': { retries: 9 },
  'POST /process-instances/:id/trigger': { elementId: 'wait', variables: { forged: true } },
  // cancels the waiting user task, if let through
  'POST /process-instances/:id/modification': { instructions: [{ type: 'cancel', elementId: 'review' }], reason: 'forged' },
  // rebinds the instance to version 2 (its key is filled in once deployed), if let through
  'POST /process-instances/:id/migration': {
    targetDefinitionKey: '',
    mappings: ['start', 'fork', 'review', 'work', 'think', 'wait', 'hear', 'join', 'end'].map((id) => ({ sourceElementId: id, targetElementId: id })),
  },
  'PUT /process-instances/:id/variables': { variables: { forged: true }, reason: 'forged' },
  // correlates to the waiting receive task and starts the message start event's process, if let through
  'POST /messages': { name: 'matrix-go', correlationKey: 'k-1', variables: { forged: true }, timeToLiveMs: 60_000 },
  // starts an instance of access-matrix-signals, if let through
  'POST /signals': { name: 'matrix-signal', variables: { forged: true } },
  'POST /users': { name: 'mallory', role: 'admin', password: 'mallory-password' },
  'PATCH /users/:name': { role: 'admin' },
  // replaces the stored secret (and would create one under another spelling), if let through
  'PUT /secrets/:name': { value: 'forged-secret-value' },
  // publishes an Agent Card for the process, if let through
  'PUT /a2a/exposed/:processId': { name: 'forged' },
  // would cancel the matrix's instance (and make a batch), if let through
  'POST /batch-operations': { kind: 'cancel', filter: { processId: 'access-matrix' }, reason: 'forged' },
  // would stop the matrix's running batch, if let through
  'POST /batch-operations/:id/cancellation': { reason: 'forged' },
};

interface Credential {
  name: string;
  /** Whom the credential speaks for; null: nobody (no or bad credential). */
  who: Who | null;
  headers: Record<string, string>;
  /** A session without its CSRF token: refused for every change. */
  noCsrf?: boolean;
}

/** Runs the tasks, `width` at a time. */
async function inParallel(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

describe('route × role × credential matrix', () => {
  let t: TestWeft;
  let catalog: RouteInfo[];
  const credentials: Credential[] = [];
  const params: Record<string, string> = {};

  beforeAll(async () => {
    // With a key, so a secrets write that got through would really change the store.
    t = await startTestWeft({ features: false }, { config: { secretKeys: keysWith(randomSecretKey()) } });
    const base = t.weft.url!;
    catalog = t.weft.app!.locals.apiRoutes;
    credentials.push({ name: 'admin token', who: 'admin', headers: { authorization: `Bearer ${t.config.adminToken}` } });
    credentials.push({ name: 'no credential', who: null, headers: {} });
    credentials.push({ name: 'unknown token', who: null, headers: { authorization: 'Bearer weft_not-a-token' } });
    for (const role of ['admin', 'modeler', 'operator', 'user'] as const) {
      const name = `m-${role}`;
      await addUser(t.api, name, role, ['clerks']);
      const session = await signIn(base, name, `${name}-password`);
      credentials.push({ name: `${role} session`, who: role, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken } });
      credentials.push({ name: `${role} session without CSRF`, who: role, headers: { cookie: session.cookie }, noCsrf: true });
      const token = (await t.api.post('/api/tokens', { user: name, name: 'matrix' })).body.token;
      credentials.push({ name: `${role} token`, who: role, headers: { authorization: `Bearer ${token}` } });
    }
    for (const scope of ['worker', 'agent-worker'] as const) {
      await addUser(t.api, `m-${scope}`, 'user');
      const token = (await t.api.post('/api/tokens', { user: `m-${scope}`, name: scope, scopes: [scope] })).body.token;
      credentials.push({ name: `${scope} token`, who: scope, headers: { authorization: `Bearer ${token}` } });
    }

    // Real targets, so a request that got through would really act.
    const deployed = await t.api.deploy([{ name: 'access-matrix.bpmn', xml }, { name: 'access-matrix.dmn', xml: dmn }]);
    expect((await t.api.deploy([{ name: 'access-matrix-signals.bpmn', xml: signalsXml }])).status).toBe(201);
    const started = await t.api.post('/api/process-instances', { processId: 'access-matrix' });
    // A second version, so a migration that got through would really rebind the instance.
    const second = await t.api.deploy([{ name: 'access-matrix.bpmn', xml: xml.replace('<bpmn:process id="access-matrix"', '<bpmn:process id="access-matrix" name="Access matrix v2"') }]);
    expect(second.body.processes.find((p: { processId: string }) => p.processId === 'access-matrix').version).toBe(2);
    (BODIES['POST /process-instances/:id/migration'] as { targetDefinitionKey: string }).targetDefinitionKey = second.body.processes.find((p: { processId: string }) => p.processId === 'access-matrix').key;
    const jobs = await eventually(async () => {
      const rows = await t.weft.db('jobs').where({ process_instance_id: started.body.id });
      return rows.length === 2 ? rows : null;
    });
    const work = jobs.find((j: { type: string }) => j.type === 'work');
    await t.weft.engine.failJob(work.key, { retries: 0, errorMessage: 'for the matrix' }, 'test');
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${started.body.id}`)).body.items[0]);
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}`)).body.items[0]);
    const [token] = (await t.api.get('/api/tokens?user=m-admin')).body.items;
    expect((await secretsClient(base, t.config.adminToken!).put('matrix-secret', { value: 'matrix-secret-value' })).status).toBe(201);
    // A running batch (no engine works it: the features' background work is off here), for its routes to act on.
    const batch = await t.api.post('/api/batch-operations', { kind: 'retry', instanceIds: [started.body.id] });
    expect(batch.body.state).toBe('RUNNING');
    Object.assign(params, {
      '/process-definitions/:key': deployed.body.processes[0].key,
      '/decisions/:decisionId': deployed.body.decisions[0].decisionId,
      '/process-instances/:id': started.body.id,
      '/jobs/:key': work.key,
      '/tasks/:id': task.id,
      '/inbox/tasks/:id': task.id,
      '/incidents/:id': incident.id,
      '/users/:name': 'm-admin',
      '/tokens/:id': token.id,
      '/forms/:formId': 'any-form',
      '/agents/:name': 'triage',
      '/agent-runs/:id': '00000000-0000-4000-8000-000000000000',
      '/secrets/:name': 'matrix-secret',
      '/a2a/connections/:name': 'suppliers',
      '/a2a/exposed/:processId': 'access-matrix',
      '/batch-operations/:id': batch.body.id,
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const id = (r: RouteInfo) => `${r.method} ${r.path}`;
  const concrete = (path: string) => path.replace(/^(.*?)(\/:[A-Za-z]+)/, (_m, head: string, param: string) => `${head}/${params[head + param] ?? 'x'}`);
  /** Sent with node:http, so the path goes out letter for letter (fetch would resolve `/./`). */
  const send = (method: string, path: string, c: Credential, body: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const payload = method === 'GET' ? undefined : JSON.stringify(body ?? {});
      const headers: Record<string, string> = { ...c.headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) };
      const req = request(`${t.weft.url}${path.startsWith('/') ? '' : '/'}`, { method, path, headers }, (res) => {
        // An event stream (GET /api/events) does not end: its status is the answer.
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, text: '' });
          return void res.destroy();
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(payload);
    });

  it('declares exactly the routes of the written policy', () => {
    expect(catalog.map(id).sort()).toEqual(Object.keys(POLICY).sort());
  });

  it('refuses every actor a route does not admit, on every spelling of its path, and changes nothing', async () => {
    // given
    const before = await databaseFingerprint(t.weft.db);
    const unauthorizedSuccesses: string[] = [];
    let tried = 0;
    // when
    const requests: (() => Promise<void>)[] = [];
    for (const route of catalog) {
      const admitted = POLICY[id(route)] ?? [];
      const path = concrete(route.path);
      for (const c of credentials) {
        const changes = route.method !== 'GET';
        if (c.noCsrf && !changes) continue; // a read needs no CSRF token: the session rows cover it
        const refused = c.who === null || !admitted.includes(c.who) || (c.noCsrf && changes);
        // An admitted actor may act, under any spelling: the next test's business.
        if (!refused) continue;
        for (const variant of pathVariants(`/api${path}`)) {
          requests.push(async () => {
            const res = await send(route.method, variant.path, c, BODIES[id(route)]);
            const text = res.text;
            const allowed = variant.exact ? [c.who === null ? 401 : 403] : [401, 403, 404];
            if (!allowed.includes(res.status)) unauthorizedSuccesses.push(`${c.name}: ${route.method} ${variant.path} → ${res.status} ${text.slice(0, 120)}`);
          });
        }
      }
    }
    await inParallel(requests, 16);
    tried = requests.length;
    // then
    expect(unauthorizedSuccesses).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
    expect(await databaseFingerprint(t.weft.db)).toEqual(before);
  }, 180_000);

  it('lets every admitted actor past the route\'s role check', async () => {
    const refusedByRole: string[] = [];
    const requests: (() => Promise<void>)[] = [];
    for (const route of catalog) {
      for (const c of credentials) {
        if (c.who === null || c.noCsrf || !(POLICY[id(route)] ?? []).includes(c.who)) continue;
        // Harmless targets: nothing of the real ones is touched here.
        const path = route.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-00000000dead');
        requests.push(async () => {
          const res = await send(route.method, `/api${path}`, c, {});
          const body = (() => {
            try {
              return JSON.parse(res.text);
            } catch {
              return {};
            }
          })();
          if (res.status === 401 || (res.status === 403 && / needs the /.test(body.error?.message ?? ''))) refusedByRole.push(`${c.name}: ${id(route)} → ${res.status}`);
        });
      }
    }
    await inParallel(requests, 16);
    expect(refusedByRole).toEqual([]);
  }, 120_000);
  it('keeps /mcp shut to every caller without a valid bearer token (no token, a bad one, a session), on every spelling, and changes nothing', async () => {
    // given
    const before = await databaseFingerprint(t.weft.db);
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'start_instance', arguments: BODIES['POST /process-instances'] } };
    const spellings = ['/mcp', '/MCP', '/Mcp', '/mcp/', '//mcp', '/./mcp', '/%6dcp'];
    const letThrough: string[] = [];
    // when
    for (const c of credentials.filter((c) => c.who === null || !c.headers.authorization)) {
      for (const method of ['POST', 'GET', 'DELETE']) {
        for (const path of spellings) {
          const res = await send(method, path, { ...c, headers: { ...c.headers, accept: 'application/json, text/event-stream' } }, call);
          const allowed = path === '/mcp' ? [401] : [401, 404];
          if (!allowed.includes(res.status)) letThrough.push(`${c.name}: ${method} ${path} → ${res.status} ${res.text.slice(0, 120)}`);
        }
      }
    }
    // then
    expect(letThrough).toEqual([]);
    expect(await databaseFingerprint(t.weft.db)).toEqual(before);
  }, 60_000);

  it('allows each /v2 route (Camunda 8 REST) to exactly the callers of its /api route, never to a session, on every spelling, and changes nothing', async () => {
    // given: the /api route each stands for (none: any authenticated caller)
    const instanceKey = await keyOf(t.weft.db, 'process-instance', params['/process-instances/:id']);
    const jobKey = await keyOf(t.weft.db, 'job', params['/jobs/:key']);
    const bodies: Record<string, unknown> = {
      'POST /v2/process-instances': { processDefinitionId: 'access-matrix' },
      'POST /v2/jobs/activation': { type: 'work', worker: 'mallory', timeout: 60_000, maxJobsToActivate: 5, requestTimeout: -1 },
      'POST /v2/jobs/:jobKey/completion': { variables: { forged: true } },
      'POST /v2/jobs/:jobKey/failure': { retries: 0, errorMessage: 'forged' },
      'POST /v2/jobs/:jobKey/error': { errorCode: 'FORGED' },
      'PATCH /v2/jobs/:jobKey': { changeset: { retries: 5 } },
    };
    const before = await databaseFingerprint(t.weft.db);
    const wrong: string[] = [];
    let tried = 0;
    // when
    for (const [route, equivalent] of V2_ROUTES) {
      const [method, template] = route.split(' ');
      const admitted = equivalent === null ? ALL : POLICY[equivalent];
      expect(admitted, route).toBeDefined();
      for (const c of credentials) {
        // /v2 takes credentials a program holds: a browser session is no caller at all.
        const bySession = !c.headers.authorization;
        if (!bySession && admitted.includes(c.who!)) continue;
        for (const variant of pathVariants(template.replace(':key', instanceKey).replace(':jobKey', jobKey))) {
          tried++;
          const res = await send(method, variant.path, c, bodies[route]);
          const allowed = variant.exact ? [c.who === null || bySession ? 401 : 403] : [401, 403, 404];
          if (!allowed.includes(res.status)) wrong.push(`${c.name}: ${method} ${variant.path} → ${res.status} ${res.text.slice(0, 120)}`);
        }
      }
    }
    // then
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(100);
    expect(await databaseFingerprint(t.weft.db)).toEqual(before);
  }, 120_000);

  it('allows each MCP tool to exactly the callers of its /api route, and a refused call changes nothing', async () => {
    // given: the harmful version of each call, on the real targets
    const args: Record<string, Record<string, unknown>> = {
      start_instance: BODIES['POST /process-instances'] as Record<string, unknown>,
      publish_message: BODIES['POST /messages'] as Record<string, unknown>,
      get_instance: { instanceId: params['/process-instances/:id'] },
      claim_task: { taskId: params['/tasks/:id'] },
      complete_task: { taskId: params['/tasks/:id'], variables: { forged: true } },
    };
    const before = await databaseFingerprint(t.weft.db);
    const wrong: string[] = [];
    let refused = 0;
    // when
    for (const c of credentials.filter((c) => c.who !== null && c.headers.authorization)) {
      const client = new Client({ name: 'matrix', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', t.weft.url), { requestInit: { headers: c.headers } }));
      for (const tool of TOOLS) {
        const admitted = (POLICY[tool.route] ?? []).includes(c.who!);
        if (admitted) continue; // an admitted call acts: the MCP server's own tests
        refused++;
        const result = (await client.callTool({ name: tool.name, arguments: args[tool.name] ?? {} })) as CallToolResult;
        const text = result.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
        if (!result.isError || !text.includes(`${tool.name} needs the `)) wrong.push(`${c.name}: ${tool.name} → ${text.slice(0, 120)}`);
      }
      await client.close();
    }
    // then
    expect(TOOLS.every((tool) => tool.route in POLICY)).toBe(true);
    expect(refused).toBe(9); // modeler: 2, user: 3, worker and agent-worker tokens (role user): 2 each
    expect(wrong).toEqual([]);
    expect(await databaseFingerprint(t.weft.db)).toEqual(before);
  }, 60_000);
});
