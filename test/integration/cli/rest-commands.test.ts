/**
 * `npx weft deploy|start|instances|incidents|retry|batch` against a real
 * Weft (its own database and Redis prefix), run as a child process the way a
 * person runs it: WEFT_URL and WEFT_TOKEN in the environment.
 */
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';

const WEFT = fileURLToPath(new URL('../../../scripts/weft.mjs', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/cli/', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A port that was free a moment ago (listened on, then closed). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Asynchronous on purpose: the server answering the child runs in this process. */
function weft(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEFT, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('weft REST commands (the CLI against a running Weft)', () => {
  let t: TestWeft;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestWeft();
    admin = { WEFT_URL: t.weft.url!, WEFT_TOKEN: t.weft.adminToken };
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Fails the instance's job with no retries left: an open incident. */
  async function incidentOf(instanceId: string): Promise<{ id: string; jobKey: string }> {
    const job = await eventually(async () => {
      const { body } = await t.api.post('/api/jobs/activate', { type: 'cli-charge', workerId: 'cli-test', maxJobs: 10, timeoutMs: 60_000 });
      return (body.jobs as { key: string; processInstanceId: string }[]).find((j) => j.processInstanceId === instanceId);
    });
    expect((await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage: 'card declined' })).status).toBe(200);
    return eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${instanceId}&state=OPEN`)).body.items[0]);
  }

  it('deploys a folder: its .bpmn files, not the other files', async () => {
    // when
    const run = await weft(['deploy', `${FIXTURES}processes`], admin);
    // then
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Deployed \S+\nPROCESS\s+VERSION\s+KEY\s+NAME\ncli-order\s+1\s+\S+\s+CLI order\n$/);
    const { body } = await t.api.get('/api/process-definitions');
    expect(JSON.stringify(body)).toContain('cli-order');
  });

  it('prints each problem of a refused deployment with its file and element, and exits 1', async () => {
    // when
    const run = await weft(['deploy', `${FIXTURES}broken.bpmn`], admin);
    // then
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Error 422 INVALID_MODEL: /);
    expect(run.stderr).toMatch(/\n {2}broken\.bpmn untyped\S*.*: .+\n/);
    expect(JSON.stringify((await t.api.get('/api/process-definitions')).body)).not.toContain('cli-broken');
  });

  it('starts an instance with variables and a business key, and lists it as JSON', async () => {
    // when
    const started = await weft(['start', 'cli-order', '--var', 'amount=42', '--var', 'tier="gold"', '--business-key', 'order-7'], admin);
    // then
    expect(started.stderr).toBe('');
    const id = /^Started (\S+) \(cli-order v1, ACTIVE\)\n$/.exec(started.stdout)?.[1];
    expect(id).toBeDefined();
    const { body: instance } = await t.api.get(`/api/process-instances/${id}`);
    expect(instance).toMatchObject({ businessKey: 'order-7', variables: { amount: 42, tier: 'gold' } });

    // when
    const listed = await weft(['instances', '--process', 'cli-order', '--json'], admin);
    // then: the API's own JSON, for scripts
    expect(listed.code).toBe(0);
    const page = JSON.parse(listed.stdout);
    expect(page.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(page.items.find((i: { id: string }) => i.id === id)).toMatchObject({ processId: 'cli-order', state: 'ACTIVE', businessKey: 'order-7' });

    // when a person asks (the address as an option, before the command)
    const table = await weft(['--url', t.weft.url!, 'instances', '--process', 'cli-order', '--state', 'active'], { WEFT_TOKEN: t.weft.adminToken, WEFT_URL: 'http://127.0.0.1:1' });
    // then an aligned table
    expect(table.stderr).toBe('');
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header.split(/ {2,}/)).toEqual(['ID', 'PROCESS', 'STATE', 'INCIDENTS', 'BUSINESS KEY', 'STARTED']);
    expect(rows).toHaveLength(1);
    expect(rows[0].split(/ {2,}/).slice(0, 5)).toEqual([id, 'cli-order v1', 'ACTIVE', '0', 'order-7']);
    // each value starts under its header
    for (const [title, value] of [['PROCESS', 'cli-order v1'], ['STATE', 'ACTIVE'], ['BUSINESS KEY', 'order-7']]) expect(rows[0].indexOf(value)).toBe(header.indexOf(title));
  });

  it('refuses a --var that is not JSON before asking the server', async () => {
    const run = await weft(['start', 'cli-order', '--var', 'tier=gold'], admin);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain(`--var tier: the value must be JSON`);
  });

  it('lists an open incident and retries it with more attempts: the job is handed out again', async () => {
    // given
    const { body: instance } = await t.api.post('/api/process-instances', { processId: 'cli-order' });
    const incident = await incidentOf(instance.id);

    // when
    const listed = await weft(['incidents'], admin);
    // then
    expect(listed.stdout).toMatch(new RegExp(`\\n${incident.id}\\s+${instance.id}\\s+charge\\s+\\S+\\s+${incident.jobKey}\\s+.*card declined`));

    // when
    const retried = await weft(['retry', incident.id, '--retries', '2'], admin);
    // then
    expect(retried).toEqual({ code: 0, stdout: `Resolved incident ${incident.id} (job given 2 retries); retrying.\n`, stderr: '' });
    const { body: after } = await t.api.get(`/api/incidents?processInstanceId=${instance.id}`);
    expect(after.items[0]).toMatchObject({ id: incident.id, state: 'RESOLVED' });
    const audit = (await t.api.get(`/api/process-instances/${instance.id}/audit`)).body.items.map((e: { type: string }) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['JOB_RETRIES_UPDATED', 'INCIDENT_RESOLVED']));
    // and the job can be taken again
    await eventually(async () => {
      const { body } = await t.api.post('/api/jobs/activate', { type: 'cli-charge', workerId: 'cli-test', maxJobs: 10, timeoutMs: 60_000 });
      return (body.jobs as { processInstanceId: string }[]).some((j) => j.processInstanceId === instance.id);
    });
  });

  it('cancels every active instance of a process as a batch and prints its final summary', async () => {
    // given
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.api.post('/api/process-instances', { processId: 'cli-order' })).body.id);
    const { body: before } = await t.api.get('/api/process-instances?processId=cli-order&state=ACTIVE&limit=500');

    // when
    const run = await weft(['batch', 'cancel', '--process', 'cli-order', '--state', 'active', '--reason', 'cli test'], admin);

    // then
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Batch \\S+ \\(cancel\\) COMPLETED: ${before.total} instances, ${before.total} done, 0 failed, 0 skipped\\n$`));
    for (const id of ids) expect((await t.api.get(`/api/process-instances/${id}`)).body.state).toBe('CANCELED');
  });

  it('retries a process as a batch: the incident is retried, an ended instance is listed as failed with the reason', async () => {
    // given an instance with an incident, and one canceled
    const { body: failing } = await t.api.post('/api/process-instances', { processId: 'cli-order' });
    const incident = await incidentOf(failing.id);
    const { body: ended } = await t.api.post('/api/process-instances', { processId: 'cli-order' });
    expect((await t.api.post(`/api/process-instances/${ended.id}/cancel`)).status).toBe(200);

    // when
    const run = await weft(['batch', 'retry', '--process', 'cli-order', '--retries', '3', '--reason', 'card fixed'], admin);

    // then: the summary is the batch as the API has it, the failed items follow, and the exit code says some failed
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    const id = /^Batch (\S+) \(retry\) COMPLETED: /.exec(run.stdout)?.[1];
    const { body: batch } = await t.api.get(`/api/batch-operations/${id}?itemState=failed`);
    expect(batch.failed).toBeGreaterThan(0);
    expect(run.stdout.split('\n')[0]).toBe(`Batch ${id} (retry) COMPLETED: ${batch.total} instances, ${batch.done} done, ${batch.failed} failed, ${batch.skipped} skipped`);
    expect(run.stdout).toContain('\nFailed:\nINSTANCE ');
    expect(run.stdout).toMatch(new RegExp(`\\n${ended.id}\\s+\\d+\\s+.*CANCELED`));
    expect((await t.api.get(`/api/incidents?processInstanceId=${failing.id}`)).body.items[0]).toMatchObject({ id: incident.id, state: 'RESOLVED' });
  });

  it('tails an instance: its audit trail, then what happens next, until Ctrl-C', async () => {
    // given an instance waiting on its job
    const { body: instance } = await t.api.post('/api/process-instances', { processId: 'cli-order' });
    const job = await eventually(async () => {
      const { body } = await t.api.post('/api/jobs/activate', { type: 'cli-charge', workerId: 'cli-test', maxJobs: 10, timeoutMs: 60_000 });
      return (body.jobs as { key: string; processInstanceId: string }[]).find((j) => j.processInstanceId === instance.id);
    });
    const child = spawn(process.execPath, [WEFT, 'tail', instance.id], { env: { ...process.env, ...admin }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await eventually(async () => stdout.includes('INSTANCE_CREATED'), 15_000);
      expect(stdout).not.toContain('INSTANCE_COMPLETED');
      // The trail is printed before the stream is asked for: give it a moment to be open.
      await new Promise((r) => setTimeout(r, 1500));

      // when the job completes
      expect((await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { charged: true } })).status).toBe(200);

      // then the entries that follow are printed as they come
      await eventually(async () => stdout.includes('INSTANCE_COMPLETED'), 15_000);
      expect(stderr).toBe('');
      const lines = stdout.trim().split('\n');
      expect(new Set(lines).size).toBe(lines.length);
    } finally {
      child.kill('SIGINT');
    }
    expect(await closed).toBe(0);
  });

  it('prints a 403 plainly for a token of a lower role, and the batch it asked for is not made', async () => {
    // given a modeler's token: may deploy, may not operate
    expect((await t.api.post('/api/users', { name: 'mo', role: 'modeler', password: 'mo-password-1' })).status).toBe(201);
    const { body: token } = await t.api.post('/api/tokens', { user: 'mo' });
    const { body: instance } = await t.api.post('/api/process-instances', { processId: 'cli-order' });
    const modeler = { WEFT_URL: t.weft.url!, WEFT_TOKEN: token.token };
    const batchesBefore = (await t.api.get('/api/batch-operations')).body.total;

    // when
    const listed = await weft(['instances'], modeler);
    const batch = await weft(['batch', 'cancel', '--process', 'cli-order'], modeler);

    // then
    expect(listed).toMatchObject({ code: 1, stdout: '' });
    expect(listed.stderr).toMatch(/^Error 403 FORBIDDEN: .+\n$/);
    expect(batch.code).toBe(1);
    expect(batch.stderr).toMatch(/^Error 403 FORBIDDEN: /);
    expect(`${listed.stderr}${batch.stderr}`).not.toContain(token.token);
    expect((await t.api.get('/api/batch-operations')).body.total).toBe(batchesBefore);
    expect((await t.api.get(`/api/process-instances/${instance.id}`)).body.state).toBe('ACTIVE');
  });

  it('lists tasks: none here (the process has no user task), as a sentence or as the API page', async () => {
    expect(await weft(['tasks', '--state', 'created'], admin)).toEqual({ code: 0, stdout: 'No tasks.\n', stderr: '' });
    const json = await weft(['tasks', '--json'], admin);
    expect(JSON.parse(json.stdout)).toMatchObject({ items: [], total: 0 });
    // a state the API does not know is its 400, naming the field
    const bad = await weft(['tasks', '--state', 'done'], admin);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error 400 BAD_REQUEST: .*\n {2}state: /);
  });

  it('says plainly when no server answers', async () => {
    // given a port nobody listens on
    const port = await closedPort();
    // when
    const run = await weft(['instances'], { WEFT_URL: `http://127.0.0.1:${port}`, WEFT_TOKEN: 'x' });
    // then
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(`Cannot reach Weft at http://127.0.0.1:${port} (ECONNREFUSED). Is it running? Set WEFT_URL or --url.\n`);
  });
});
