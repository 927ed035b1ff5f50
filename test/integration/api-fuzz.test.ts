/**
 * Fuzz: every /api route (the app's own catalog, app.locals.apiRoutes) and
 * the routes outside /api that take input (sign-in, sign-out, the pages),
 * called as admin (so authorization is not what answers) with mutated path
 * parameters, query strings, bodies and headers (test/support/fuzz-cases.ts).
 * No answer may be a 5xx, and every error has the `{error: {code, message}}`
 * shape.
 *
 * Deterministic: the cases come from a seeded PRNG. A failure prints the seed
 * and each failing request; `WEFT_FUZZ_SEED=<n> npx vitest run
 * test/integration/api-fuzz.test.ts` replays a run, another seed explores more.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../../engine/api/api-routes.js';
import { addUser } from '../fixtures/people/client.js';
import { casesFor, deploymentCases, prng, type FuzzCase, type FuzzRoute } from '../support/fuzz-cases.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { keysWith, randomSecretKey } from '../fixtures/secrets/secrets-client.js';
import { keyOf } from '../../engine/features/camunda-v2/keys.js';
import { V2_ROUTES } from '../support/v2-route-list.js';

const SEED = Number(process.env.WEFT_FUZZ_SEED ?? 0x5eed);
const CASES_PER_ROUTE = 9;
const PARALLEL = 4;
const TIME_BUDGET_MS = 60_000;

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** node:http sends the path letter for letter; fetch would normalise `..` and re-encode. */
function send(port: number, c: FuzzCase): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...c.headers };
    if (c.body) headers['content-length'] = c.body.length;
    const req = request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers }, (res) => {
      // An event stream (GET /api/events) does not end: its status and type are the answer.
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), text: '' });
        return void res.destroy();
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Why an answer breaks the rules, or null. */
function wrongAnswer(answer: Answer, c: FuzzCase): string | null {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status < 400) return null;
  // /v2 answers as Camunda's clients expect: RFC 9457 problem details.
  if (c.path.startsWith('/v2/') || c.path === '/v2') {
    if (!answer.contentType.startsWith('application/problem+json')) return `/v2 error with content type '${answer.contentType}'`;
    const problem = JSON.parse(answer.text);
    if (problem?.status !== answer.status || typeof problem?.title !== 'string' || typeof problem?.detail !== 'string') return 'problem without status, title and detail';
    return null;
  }
  // OAuth clients parse OAuth's own error JSON.
  if (/^\/oauth\/token(\?|$)/.test(c.path)) return typeof JSON.parse(answer.text)?.error === 'string' ? null : 'OAuth error without `error`';
  if (!answer.contentType.startsWith('application/json')) return `error with content type '${answer.contentType}'`;
  const body = JSON.parse(answer.text);
  // The A2A endpoint answers in its protocol's JSON-RPC error shape once the request reached it.
  if (body?.jsonrpc === '2.0' && typeof body?.error?.code === 'number' && typeof body?.error?.message === 'string') return null;
  if (typeof body?.error?.code !== 'string' || typeof body?.error?.message !== 'string') return 'error body without {error: {code, message}}';
  return null;
}

describe('API fuzz', () => {
  let t: TestWeft;
  let catalog: RouteInfo[];
  const params: Record<string, Record<string, string>> = {};
  /** Real keys for the /v2 routes' parameters (Camunda's numeric keys of the same instance and job). */
  const v2Params: Record<string, string> = {};

  beforeAll(async () => {
    // With a secrets key, so the secrets routes are fuzzed past the "no key" refusal.
    t = await startTestWeft({}, { config: { secretKeys: keysWith(randomSecretKey()) } });
    catalog = t.weft.app!.locals.apiRoutes;
    const deployed = await t.api.deploy([
      { name: 'two-jobs.bpmn', xml: read('../fixtures/integration/two-jobs.bpmn') },
      { name: 'invoice-approval.bpmn', xml: read('../fixtures/people/invoice-approval.bpmn') },
      { name: 'invoice-approval.form', xml: read('../fixtures/people/invoice-approval.form') },
      { name: 'ticket-triage.agent.json', xml: read('../../processes/agents/ticket-triage.agent.json') },
    ]);
    if (deployed.status !== 201) throw new Error(`deploy answered ${deployed.status}: ${JSON.stringify(deployed.body)}`);
    await addUser(t.api, 'fuzz-user', 'user', ['finance']);
    const token = (await t.api.post('/api/tokens', { user: 'fuzz-user', name: 'fuzz' })).body;
    const instance = (await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: 'fuzz' } })).body;
    const failing = (await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: 'fuzz-fail' } })).body;
    await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { amount: 10, due: '2030-01-01T00:00:00Z', priority: 50 } });
    const job = await eventually(async () => (await t.api.post('/api/jobs/activate', { type: 'fuzz', workerId: 'fuzzer', maxJobs: 1 })).body.jobs[0]);
    const doomed = await eventually(async () => (await t.api.post('/api/jobs/activate', { type: 'fuzz-fail', workerId: 'fuzzer', maxJobs: 1 })).body.jobs[0]);
    await t.api.post(`/api/jobs/${doomed.key}/fail`, { retries: 0, errorMessage: 'for the fuzz' });
    const incident = await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${failing.id}`)).body.items[0]);
    const task = await eventually(async () => (await t.api.get('/api/tasks?candidateGroup=finance')).body.items[0]);
    const definitionKey = deployed.body.processes[0].key;
    // A batch over an instance of its own, so it touches none the other routes are fuzzed on.
    const batchTarget = (await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: 'fuzz-batch' } })).body;
    const batch = (await t.api.post('/api/batch-operations', { kind: 'cancel', instanceIds: [batchTarget.id], reason: 'fuzz' })).body;
    // A second version of two-jobs, so a migration's valid body reaches the mapping checks and the rebinding.
    const twoJobsV2 = await t.api.deploy([{ name: 'two-jobs.bpmn', xml: read('../fixtures/integration/two-jobs.bpmn').replace('name="Ship"', 'name="Ship it"') }]);
    if (twoJobsV2.status !== 201) throw new Error(`deploy answered ${twoJobsV2.status}: ${JSON.stringify(twoJobsV2.body)}`);
    validBodies['POST /process-instances/:id/migration'].targetDefinitionKey = twoJobsV2.body.processes[0].key;
    const unknownId = '3f2b9c1e-0d4a-4c1b-9a5e-7b8c6d5e4f3a';
    Object.assign(params, {
      '/process-definitions': { key: definitionKey },
      '/process-instances': { id: instance.id },
      '/jobs': { key: job.key },
      '/tasks': { id: task.id },
      '/incidents': { id: incident.id },
      '/agents': { name: 'ticket-triage' },
      '/agent-runs': { id: unknownId },
      '/users': { name: 'fuzz-user' },
      '/tokens': { id: token.id },
      '/forms': { formId: 'invoice-approval-form' },
      '/inbox': { id: task.id },
      '/secrets': { name: 'FUZZ_SECRET' },
      '/a2a': { name: 'fuzz-agent', processId: 'two-jobs' },
      '/batch-operations': { id: batch.id },
    });
    v2Params.key = await keyOf(t.weft.db, 'process-instance', instance.id);
    v2Params.jobKey = await keyOf(t.weft.db, 'job', job.key);
    v2Params.processDefinitionKey = await keyOf(t.weft.db, 'process-definition', definitionKey);
    await fetch(`${t.weft.url}/api/a2a/exposed/two-jobs`, { method: 'PUT', headers: { authorization: `Bearer ${t.config.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Bodies each route accepts as they are; the fuzz mutates a field or two. */
  const validBodies: Record<string, Record<string, unknown>> = {
    'POST /process-instances': { processId: 'two-jobs', variables: { jobType: 'fuzz-started' }, businessKey: 'k' },
    'POST /jobs/activate': { type: 'fuzz', workerId: 'fuzzer', maxJobs: 1, timeoutMs: 1000 },
    'POST /jobs/:key/activate': { workerId: 'fuzzer', timeoutMs: 1000 },
    'POST /jobs/:key/complete': { variables: { done: true } },
    'POST /jobs/:key/fail': { retries: 1, errorMessage: 'fuzz', retryBackoffMs: 10 },
    'POST /jobs/:key/bpmn-error': { errorCode: 'FUZZ', errorMessage: 'fuzz', variables: {} },
    'POST /jobs/:key/retries': { retries: 2 },
    'POST /tasks/:id/claim': { assignee: 'fuzz-user' },
    'POST /process-instances/:id/modification': { instructions: [{ type: 'startBefore', elementId: 'ship', variables: { fuzz: true } }], reason: 'fuzz' },
    'POST /process-instances/:id/migration': { targetDefinitionKey: '', mappings: [{ sourceElementId: 'charge', targetElementId: 'charge' }, { sourceElementId: 'ship', targetElementId: 'ship' }], dryRun: true },
    'POST /tasks/:id/complete': { variables: { supplier: 'Acme', amount: 10 } },
    'POST /users': { name: 'fuzz-new', role: 'user', groups: ['g'], password: 'fuzz-new-password' },
    'PATCH /users/:name': { role: 'operator', groups: ['g'], disabled: false },
    'POST /tokens': { user: 'fuzz-user', name: 'fuzzed', scopes: ['worker'] },
    'PUT /secrets/:name': { value: 'fuzz-secret-value' },
    'PUT /process-instances/:id/variables': { variables: { fuzzed: true }, reason: 'fuzz' },
    'PUT /a2a/exposed/:processId': { name: 'Fuzz', description: 'fuzzed', skills: [{ id: 'fuzz', name: 'Fuzz', tags: ['f'] }], outputVariables: ['jobType'] },
    // A search that matches nothing: the request is checked all the way, and no instance the fuzz uses is touched.
    'POST /batch-operations': { kind: 'retry', filter: { processId: 'fuzz-nothing', state: 'ACTIVE' }, retries: 2, reason: 'fuzz' },
    'POST /batch-operations/:id/cancellation': { reason: 'fuzz' },
  };

  /** /v2 bodies each route accepts as they are. */
  const v2Bodies: Record<string, Record<string, unknown>> = {
    'POST /v2/process-instances': { processDefinitionId: 'two-jobs', variables: { jobType: 'fuzz-v2' } },
    'POST /v2/process-instances/search': { filter: { processDefinitionId: 'two-jobs' }, page: { limit: 5 } },
    'POST /v2/jobs/activation': { type: 'fuzz-v2', worker: 'fuzzer', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 },
    'POST /v2/jobs/search': { filter: { type: 'fuzz' }, page: { limit: 5 } },
    'POST /v2/process-definitions/search': { filter: { processDefinitionId: 'two-jobs', isLatestVersion: true }, sort: [{ field: 'version', order: 'DESC' }], page: { limit: 5 } },
    'POST /v2/jobs/:jobKey/completion': { variables: { done: true } },
    'POST /v2/jobs/:jobKey/failure': { retries: 1, errorMessage: 'fuzz', retryBackOff: 10 },
    'POST /v2/jobs/:jobKey/error': { errorCode: 'FUZZ', errorMessage: 'fuzz' },
    'PATCH /v2/jobs/:jobKey': { changeset: { timeout: 1000, retries: 2 } },
  };

  function fuzzRoutes(): FuzzRoute[] {
    const admin = { authorization: `Bearer ${t.config.adminToken}` };
    const api = catalog.map(({ method, path }): FuzzRoute => ({
      method,
      path,
      base: '/api',
      params: params[`/${path.split('/')[1]}`] ?? {},
      validBody: validBodies[`${method} ${path}`],
      headers: admin,
    }));
    const outside: FuzzRoute[] = [
      { method: 'POST', path: '/auth/sign-in', base: '', params: {}, validBody: { username: 'fuzz-user', password: 'fuzz-user-password', next: '/inbox' }, headers: {} },
      { method: 'POST', path: '/auth/sign-out', base: '', params: {}, validBody: { csrf: 'x' }, headers: {} },
      { method: 'GET', path: '/modeler', base: '', params: {}, headers: {} },
      { method: 'GET', path: '/api/docs', base: '', params: {}, headers: {} },
      { method: 'GET', path: '/api/docs/assets/swagger-ui.css', base: '', params: {}, headers: {} },
      { method: 'GET', path: '/a2a/:processId/.well-known/agent-card.json', base: '', params: { processId: 'two-jobs' }, headers: {} },
      {
        method: 'POST',
        path: '/a2a/:processId',
        base: '',
        params: { processId: 'two-jobs' },
        validBody: { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'fuzz', role: 'ROLE_USER', parts: [{ text: 'fuzz' }, { data: { jobType: 'fuzz-a2a' } }] }, configuration: { returnImmediately: true } } },
        headers: admin,
      },
    ];
    const v2 = V2_ROUTES.map(([route]): FuzzRoute => {
      const [method, path] = route.split(' ');
      return { method, path, base: '', params: v2Params, validBody: v2Bodies[route], headers: admin };
    });
    const oauth: FuzzRoute = { method: 'POST', path: '/oauth/token', base: '', params: {}, validBody: { grant_type: 'client_credentials', client_id: 'admin', client_secret: t.config.adminToken }, headers: {} };
    return [...api, ...outside, ...v2, oauth];
  }

  it('never answers 5xx, and every error is {error: {code, message}} (problem+json on /v2, OAuth\'s JSON at /oauth/token)', async () => {
    // given a few hundred cases from the seed
    expect(catalog.length).toBeGreaterThan(30);
    const random = prng(SEED);
    const admin = { authorization: `Bearer ${t.config.adminToken}` };
    const cases = [...fuzzRoutes().flatMap((route) => casesFor(route, random, CASES_PER_ROUTE)), ...deploymentCases(admin)];
    expect(cases.length).toBeGreaterThan(300);

    // when each is sent, PARALLEL at a time
    const port = Number(new URL(t.weft.url!).port);
    const started = Date.now();
    const failures: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) {
          const c = cases[next++];
          const answer = await send(port, c).catch((error: Error) => ({ status: 0, contentType: '', text: `no answer: ${error.message}` }));
          const wrong = answer.status === 0 ? answer.text : wrongAnswer(answer, c);
          if (wrong) failures.push(`${wrong} for ${c.label}\n    ${c.method} ${c.path.slice(0, 200)} → ${answer.text.slice(0, 200)}`);
        }
      }),
    );
    const elapsed = Date.now() - started;

    // then
    expect(failures, `seed ${SEED}: ${failures.length} of ${cases.length} requests broke the rules`).toEqual([]);
    expect(elapsed).toBeLessThan(TIME_BUDGET_MS);
    expect((await fetch(`${t.weft.url}/health`)).status).toBe(200);
  }, 120_000);
});
