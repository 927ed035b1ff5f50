/**
 * People: who may see and act on which user task, and which role may call
 * which route. Every refusal is a 403 that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { addUser, bearer, fixture, signIn, type Client } from '../fixtures/people/client.js';

describe('people: task authorization and route roles', () => {
  let t: TestWeft;
  let base: string;
  let alice: Client, bob: Client, carol: Client, archivist: Client, oscar: Client, mona: Client, root: Client;

  const valid = { supplier: 'ACME', amount: 120, decision: 'approve' };

  /** Starts an invoice approval; returns the instance id and its open `approve` task. */
  async function startInvoice(variables: Record<string, unknown> = {}) {
    const started = await oscar.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2030-01-01T00:00:00Z', priority: 60, ...variables } });
    expect(started.status).toBe(201);
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    return { instanceId: started.body.id as string, task };
  }

  const taskOf = async (id: string) => (await t.api.get(`/api/tasks/${id}`)).body;

  beforeAll(async () => {
    t = await startTestWeft();
    base = t.weft.url!;
    await addUser(t.api, 'alice', 'user', ['finance']);
    await addUser(t.api, 'bob', 'user', ['finance']);
    await addUser(t.api, 'carol', 'user', ['sales']);
    await addUser(t.api, 'archivist', 'user');
    await addUser(t.api, 'oscar', 'operator');
    await addUser(t.api, 'mona', 'modeler');
    await addUser(t.api, 'root', 'admin');
    [alice, bob, carol, archivist, oscar, mona, root] = await Promise.all(
      ['alice', 'bob', 'carol', 'archivist', 'oscar', 'mona', 'root'].map((n) => signIn(base, n, `${n}-password`)),
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('route roles', () => {
    it('lets modelers and admins deploy, nobody else', async () => {
      const files = [{ name: 'invoice-approval.bpmn', xml: fixture('invoice-approval.bpmn') }, { name: 'invoice-approval.form', xml: fixture('invoice-approval.form') }];
      const deployAs = async (c: { cookie: string; csrfToken: string }) => {
        const form = new FormData();
        for (const f of files) form.append('files', new Blob([f.xml]), f.name);
        return (await fetch(`${base}/api/deployments`, { method: 'POST', headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken }, body: form })).status;
      };
      expect(await deployAs(alice as any)).toBe(403);
      expect(await deployAs(oscar as any)).toBe(403);
      expect(await deployAs(mona as any)).toBe(201);
      expect(await deployAs(root as any)).toBe(201);
    });

    it('lets operators and admins see instances and incidents; users only their tasks', async () => {
      expect((await alice.get('/api/process-instances')).status).toBe(403);
      expect((await alice.get('/api/incidents')).status).toBe(403);
      expect((await mona.get('/api/incidents')).status).toBe(403);
      expect((await oscar.get('/api/process-instances')).status).toBe(200);
      expect((await oscar.get('/api/incidents')).status).toBe(200);
      expect((await alice.post('/api/process-instances', { processId: 'invoice-approval' })).status).toBe(403);
      expect((await alice.post('/api/jobs/activate', { type: 'x', workerId: 'w' })).status).toBe(403);
      expect((await alice.get('/api/process-definitions')).status).toBe(200);
    });

    it('keeps plain users out of every other feature\'s routes: agent transcripts, kill switches, element templates', async () => {
      expect((await alice.get('/api/agent-runs')).status).toBe(403);
      expect((await alice.get('/api/agents')).status).toBe(403);
      expect((await alice.post('/api/agents/disable-all', {})).status).toBe(403);
      expect((await mona.post('/api/agents/disable-all', {})).status).toBe(403);
      expect((await alice.get('/api/element-templates')).status).toBe(403);
      expect((await mona.get('/api/element-templates')).status).toBe(200);
      expect((await mona.get('/api/agents')).status).toBe(200);
      expect((await oscar.get('/api/agent-runs')).status).toBe(200); // the runs in flight (the live agent view)
    });
  });

  describe('tasks', () => {
    it('shows an unassigned task to its candidate group and to nobody else', async () => {
      // given
      const { task } = await startInvoice();
      // then
      const ids = async (c: Client, q = 'state=CREATED') => ((await c.get(`/api/tasks?${q}`)).body.items as any[]).map((i) => i.id);
      expect(await ids(alice)).toContain(task.id);
      expect(await ids(bob)).toContain(task.id);
      expect(await ids(carol)).not.toContain(task.id);
      expect(await ids(archivist)).not.toContain(task.id);
      expect(await ids(root)).toContain(task.id);
      expect((await alice.get(`/api/tasks/${task.id}`)).status).toBe(200);
      const refused = await carol.get(`/api/tasks/${task.id}`);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      // nor through the inbox's filters
      expect(await ids(carol, `state=CREATED&scope=claimable&search=invoice`)).toEqual([]);
    });

    it('refuses claim and complete by someone outside the candidate group, and changes nothing', async () => {
      // given
      const { task } = await startInvoice();
      // when
      const claim = await carol.post(`/api/tasks/${task.id}/claim`, {});
      const complete = await carol.post(`/api/tasks/${task.id}/complete`, { variables: valid });
      // then
      expect([claim.status, complete.status]).toEqual([403, 403]);
      expect(await taskOf(task.id)).toMatchObject({ state: 'CREATED', assignee: null });
    });

    it('needs a claim before complete', async () => {
      const { task } = await startInvoice();
      const res = await alice.post(`/api/tasks/${task.id}/complete`, { variables: valid });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/Claim task .* before completing it/);
      expect((await taskOf(task.id)).state).toBe('CREATED');
    });

    it('hides a claimed task from the rest of the group; their claim and complete are 403 and change nothing', async () => {
      // given
      const { instanceId, task } = await startInvoice();
      const claimed = await alice.post(`/api/tasks/${task.id}/claim`, {});
      expect(claimed.status).toBe(200);
      expect(claimed.body.assignee).toBe('alice');
      // when
      const see = await bob.get(`/api/tasks/${task.id}`);
      const claim = await bob.post(`/api/tasks/${task.id}/claim`, {});
      const complete = await bob.post(`/api/tasks/${task.id}/complete`, { variables: valid });
      const unclaim = await bob.post(`/api/tasks/${task.id}/unclaim`, {});
      // then
      expect([see.status, claim.status, complete.status, unclaim.status]).toEqual([403, 403, 403, 403]);
      expect(await taskOf(task.id)).toMatchObject({ state: 'CREATED', assignee: 'alice' });
      expect(((await bob.get('/api/tasks?state=CREATED')).body.items as any[]).map((i) => i.id)).not.toContain(task.id);
      // and the claim is on the record with alice's id
      const audit = (await t.api.get(`/api/process-instances/${instanceId}/audit`)).body.items as any[];
      expect(audit.filter((a) => a.type === 'TASK_CLAIMED')).toEqual([expect.objectContaining({ actor: 'user:alice', payload: { taskId: task.id, assignee: 'alice' } })]);
    });

    it('lets a user claim for themselves only', async () => {
      const { task } = await startInvoice();
      const res = await alice.post(`/api/tasks/${task.id}/claim`, { assignee: 'bob' });
      expect(res.status).toBe(403);
      expect((await taskOf(task.id)).assignee).toBeNull();
    });

    it('unclaims: the task is offered to the group again, and that is audited', async () => {
      // given
      const { instanceId, task } = await startInvoice();
      await alice.post(`/api/tasks/${task.id}/claim`, {});
      // when
      const res = await alice.post(`/api/tasks/${task.id}/unclaim`, {});
      // then
      expect(res.status).toBe(200);
      expect(res.body.assignee).toBeNull();
      expect((await bob.post(`/api/tasks/${task.id}/claim`, {})).body.assignee).toBe('bob');
      const audit = (await t.api.get(`/api/process-instances/${instanceId}/audit`)).body.items as any[];
      expect(audit.find((a) => a.type === 'TASK_UNCLAIMED')).toMatchObject({ actor: 'user:alice', payload: { taskId: task.id, previousAssignee: 'alice' } });
    });

    it('completes a claimed task with valid form data; the process moves on to the next person', async () => {
      // given
      const { instanceId, task } = await startInvoice();
      await alice.post(`/api/tasks/${task.id}/claim`, {});
      // when
      const done = await alice.post(`/api/tasks/${task.id}/complete`, { variables: valid });
      // then
      expect(done.status).toBe(200);
      expect(await taskOf(task.id)).toMatchObject({ state: 'COMPLETED', completedBy: 'user:alice' });
      const next = await eventually(async () => (await archivist.get(`/api/tasks?processInstanceId=${instanceId}&state=CREATED`)).body.items[0]);
      expect(next.elementId).toBe('archive');
      expect((await alice.get(`/api/tasks/${next.id}`)).status).toBe(403);
      const instance = (await t.api.get(`/api/process-instances/${instanceId}`)).body;
      expect(instance.variables).toMatchObject(valid);
    });

    it('refuses a completed task: 403 for others, 409 to claim, a duplicate for its owner', async () => {
      // given
      const { task } = await startInvoice();
      await alice.post(`/api/tasks/${task.id}/claim`, {});
      await alice.post(`/api/tasks/${task.id}/complete`, { variables: valid });
      // then
      expect((await bob.post(`/api/tasks/${task.id}/complete`, { variables: valid })).status).toBe(403);
      expect((await carol.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(403);
      expect((await alice.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(409);
      expect((await alice.post(`/api/tasks/${task.id}/unclaim`, {})).status).toBe(409);
      expect((await alice.post(`/api/tasks/${task.id}/complete`, { variables: valid })).body).toEqual({ ok: true, duplicate: true });
    });

    it('refuses data the form does not accept with 422 and per-field messages, and changes nothing', async () => {
      // given
      const { instanceId, task } = await startInvoice();
      await alice.post(`/api/tasks/${task.id}/claim`, {});
      // when
      const res = await alice.post(`/api/tasks/${task.id}/complete`, { variables: { supplier: 'A', amount: 'lots', costCenter: 'X', decision: 'reject' } });
      // then
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VARIABLES_INVALID');
      expect(res.body.error.details).toEqual([
        { path: 'supplier', label: 'Supplier', message: 'Field must have minimum length of 2.' },
        { path: 'amount', label: 'Amount', message: 'Value is not a number.' },
        { path: 'costCenter', label: 'Cost center', message: 'Use CC- and four digits, e.g. CC-1234' },
        { path: 'reason', label: 'Reason for rejecting', message: 'Field is required.' },
      ]);
      expect(await taskOf(task.id)).toMatchObject({ state: 'CREATED', assignee: 'alice' });
      expect((await t.api.get(`/api/process-instances/${instanceId}`)).body.variables.supplier).toBeUndefined();
    });

    it('lets admins see and act on every task', async () => {
      const { task } = await startInvoice();
      await alice.post(`/api/tasks/${task.id}/claim`, {});
      expect((await root.get(`/api/tasks/${task.id}`)).status).toBe(200);
      expect((await root.post(`/api/tasks/${task.id}/unclaim`, {})).status).toBe(200);
      expect((await root.post(`/api/tasks/${task.id}/claim`, {})).body.assignee).toBe('root');
      expect((await root.post(`/api/tasks/${task.id}/complete`, { variables: valid })).status).toBe(200);
    });

    it('filters the inbox: mine, claimable, search, priority, sort', async () => {
      // given
      const low = (await startInvoice({ priority: 10 })).task;
      const high = (await startInvoice({ priority: 90 })).task;
      await bob.post(`/api/tasks/${high.id}/claim`, {});
      const list = async (q: string) => ((await bob.get(`/api/tasks?state=CREATED&${q}`)).body.items as any[]).map((i) => i.id);
      // then
      expect(await list('scope=mine')).toContain(high.id);
      expect(await list('scope=mine')).not.toContain(low.id);
      expect(await list('scope=claimable')).toContain(low.id);
      expect(await list('scope=claimable')).not.toContain(high.id);
      expect(await list('minPriority=80')).toEqual(expect.arrayContaining([high.id]));
      expect(await list('minPriority=80')).not.toContain(low.id);
      expect(await list('search=no-such-thing')).toEqual([]);
      const byPriority = await list('sort=priority');
      expect(byPriority.indexOf(high.id)).toBeLessThan(byPriority.indexOf(low.id));
      expect((await bob.get('/api/tasks?overdue=true&state=CREATED')).body.items).toEqual([]);
    });

    it('gives the inbox the task with its definition key, form and history, to those who may see it', async () => {
      const { task } = await startInvoice();
      await alice.post(`/api/tasks/${task.id}/claim`, {});
      const res = await alice.get(`/api/inbox/tasks/${task.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ task: { id: task.id }, definitionKey: expect.any(String), form: { formId: 'invoice-approval-form', schema: { id: 'invoice-approval-form' } } });
      expect(res.body.history.map((h: any) => h.type)).toContain('TASK_CLAIMED');
      expect(res.body.history[0].payload).toBeUndefined();
      expect((await bob.get(`/api/inbox/tasks/${task.id}`)).status).toBe(403);
      expect((await alice.get(`/api/process-definitions/${res.body.definitionKey}/xml`)).status).toBe(200);
    });

    it('refuses a revoked token on the task routes', async () => {
      const { task } = await startInvoice();
      const { id, token } = (await t.api.post('/api/tokens', { user: 'alice' })).body;
      expect((await bearer(base, token).get(`/api/tasks/${task.id}`)).status).toBe(200);
      await t.api.post(`/api/tokens/${id}/revoke`, {});
      expect((await bearer(base, token).post(`/api/tasks/${task.id}/claim`, {})).status).toBe(401);
      expect((await taskOf(task.id)).assignee).toBeNull();
    });
  });
});
