/**
 * Camunda's TypeScript client works user tasks on Weft under Weft's task
 * rules (Camunda's Tasklist API does not enforce them; Weft does): a person
 * finds only the tasks assigned or offered to them, assigns only to
 * themselves, completes only what they claimed and only past the form's
 * checks; anything else is 403 and changes nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { addUser } from '../../fixtures/people/client.js';
import { bearerClient, statusOf } from '../../support/camunda-clients.js';

const file = (name: string, type: string) => new File([readFileSync(new URL(`./${name}`, import.meta.url))], name, { type });
const NOW = { consistency: { waitUpToMs: 0 } };

describe('user tasks through the Camunda client, under Weft task rules', () => {
  let t: TestWeft;
  let admin: CamundaClient;
  let ann: CamundaClient;
  let bob: CamundaClient;
  beforeAll(async () => {
    t = await startTestWeft();
    admin = bearerClient(t.weft.url!, t.weft.adminToken);
    await addUser(t.api, 'ann', 'user', ['approvers']);
    await addUser(t.api, 'bob', 'user', ['warehouse']);
    const token = async (user: string) => (await t.api.post('/api/tokens', { user, name: 'v2' })).body.token as string;
    ann = bearerClient(t.weft.url!, await token('ann'));
    bob = bearerClient(t.weft.url!, await token('bob'));
    await admin.createDeployment({ resources: [file('approve-order.bpmn', 'application/xml'), file('approve-order.form', 'application/json')] });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  async function newTask(total: number) {
    const { processInstanceKey } = await admin.createProcessInstance({ processDefinitionId: 'v2-approve-order', variables: { order: { total, id: `o-${total}` } } } as never);
    const { items } = await admin.searchUserTasks({ filter: { processInstanceKey } } as never, NOW);
    return { processInstanceKey, task: items[0] };
  }
  /** The Weft audit of the instance started for the order with this total. */
  async function auditOf(total: number): Promise<{ type: string; actor: string; payload: Record<string, unknown> }[]> {
    for (const listed of (await t.api.get('/api/process-instances?processId=v2-approve-order&limit=100')).body.items as { id: string }[]) {
      const detail = (await t.api.get(`/api/process-instances/${listed.id}`)).body;
      if (detail.variables.order?.total === total) return (await t.api.get(`/api/process-instances/${listed.id}/audit`)).body.items;
    }
    throw new Error(`no instance for total ${total}`);
  }
  const assigneeOf = async (userTaskKey: string) => (await admin.getUserTask({ userTaskKey } as never, NOW)).assignee;

  it('lists a task to the candidate group and to admins, never to others, with Camunda fields', async () => {
    // given
    const { processInstanceKey, task } = await newTask(100);
    // when
    const forAnn = await ann.searchUserTasks({ filter: { processInstanceKey, state: 'CREATED', candidateGroup: 'approvers' } } as never, NOW);
    const forBob = await bob.searchUserTasks({ filter: { processInstanceKey } } as never, NOW);
    const byVariable = await ann.searchUserTasks({ filter: { processInstanceVariables: [{ name: 'order', value: '{"id": "o-100", "total": 100}' }] } } as never, NOW);
    const byLocal = await admin.searchUserTasks({ filter: { localVariables: [{ name: 'total', value: '100' }] } } as never, NOW);
    const got = await ann.getUserTask({ userTaskKey: task.userTaskKey } as never, NOW);
    const bobGets = await statusOf(bob.getUserTask({ userTaskKey: task.userTaskKey } as never, NOW));
    // then
    expect(task).toMatchObject({
      name: 'Approve order',
      state: 'CREATED',
      assignee: null,
      elementId: 'approve',
      candidateGroups: ['approvers'],
      processDefinitionId: 'v2-approve-order',
      processName: 'Approve order',
      processDefinitionVersion: 1,
      priority: 70,
      tenantId: '<default>',
      processInstanceKey,
      userTaskKey: expect.stringMatching(/^\d+$/),
      elementInstanceKey: expect.stringMatching(/^\d+$/),
      formKey: expect.stringMatching(/^\d+$/),
      completionDate: null,
    });
    expect(forAnn.items.map((i) => i.userTaskKey)).toEqual([task.userTaskKey]);
    expect(forBob.items).toEqual([]);
    expect(forBob.page.totalItems).toBe(0);
    expect(byVariable.items.map((i) => i.userTaskKey)).toEqual([task.userTaskKey]);
    expect(byLocal.items.map((i) => i.userTaskKey)).toEqual([task.userTaskKey]);
    expect(got).toEqual(task);
    expect(bobGets).toBe(403);
  });

  it('lets a person assign a task offered to them to themselves only; an admin reassigns, unless told not to override', async () => {
    // given
    const { task } = await newTask(200);
    const key = { userTaskKey: task.userTaskKey };
    // when
    const bobTakes = await statusOf(bob.assignUserTask({ ...key, assignee: 'bob' } as never));
    const annGivesBob = await statusOf(ann.assignUserTask({ ...key, assignee: 'bob' } as never));
    await ann.assignUserTask({ ...key, assignee: 'ann' } as never);
    const afterAnn = await assigneeOf(task.userTaskKey);
    const bobUnassigns = await statusOf(bob.unassignUserTask(key as never));
    const noOverride = await statusOf(admin.assignUserTask({ ...key, assignee: 'carol', allowOverride: false } as never));
    await admin.assignUserTask({ ...key, assignee: 'carol' } as never);
    const afterAdmin = await assigneeOf(task.userTaskKey);
    await admin.unassignUserTask(key as never);
    // then
    expect([bobTakes, annGivesBob, bobUnassigns, noOverride]).toEqual([403, 403, 403, 409]);
    expect(afterAnn).toBe('ann');
    expect(afterAdmin).toBe('carol');
    expect(await assigneeOf(task.userTaskKey)).toBeNull();
    const audit = await auditOf(200);
    expect(audit.filter((e) => e.type.startsWith('TASK_')).map((e) => [e.type, e.actor, e.payload.assignee ?? null])).toEqual([
      ['TASK_CREATED', expect.any(String), null],
      ['TASK_CLAIMED', 'user:ann', 'ann'],
      ['TASK_CLAIMED', 'admin', 'carol'],
      ['TASK_UNCLAIMED', 'admin', null],
    ]);
  });

  it('completes only what the person claimed, only past the form, once', async () => {
    // given
    const { processInstanceKey, task } = await newTask(300);
    const key = { userTaskKey: task.userTaskKey };
    // when
    const unclaimed = await statusOf(ann.completeUserTask({ ...key, variables: { approved: true, reason: 'ok' } } as never));
    await ann.assignUserTask({ ...key, assignee: 'ann' } as never);
    const byBob = await statusOf(bob.completeUserTask({ ...key, variables: { approved: true, reason: 'ok' } } as never));
    const missingReason = await statusOf(ann.completeUserTask({ ...key, variables: { approved: true } } as never));
    const stillActive = (await admin.getProcessInstance({ processInstanceKey } as never, NOW)).state;
    await ann.completeUserTask({ ...key, variables: { approved: true, reason: 'within budget' } } as never);
    const again = await statusOf(ann.completeUserTask({ ...key, variables: { approved: true, reason: 'within budget' } } as never));
    // then
    expect([unclaimed, byBob, missingReason, again]).toEqual([403, 403, 422, 200]);
    expect(stillActive).toBe('ACTIVE');
    const done = await admin.getUserTask(key as never, NOW);
    expect(done).toMatchObject({ state: 'COMPLETED', assignee: 'ann', completionDate: expect.any(String) });
    expect((await admin.getProcessInstance({ processInstanceKey } as never, NOW)).state).toBe('COMPLETED');
    const reason = await admin.searchVariables({ filter: { processInstanceKey, name: 'reason' } } as never, NOW);
    expect(reason.items.map((v) => v.value)).toEqual(['"within budget"']);
  });

  it('gives the task form and the task scope variables to whoever may see the task', async () => {
    // given
    const { task } = await newTask(400);
    const key = { userTaskKey: task.userTaskKey };
    // when
    const form = (await ann.getUserTaskForm(key as never, NOW)) as { schema: string };
    const variables = await ann.searchUserTaskVariables({ ...key, filter: { name: 'total' } } as never, NOW);
    const bobForm = await statusOf(bob.getUserTaskForm(key as never, NOW));
    const bobVariables = await statusOf(bob.searchUserTaskVariables(key as never, NOW));
    // then
    expect(form).toMatchObject({ formId: 'v2-approve-order', version: 1, formKey: task.formKey, tenantId: '<default>' });
    expect(JSON.parse(form.schema).components.map((c: { key: string }) => c.key)).toEqual(['approved', 'reason']);
    expect(variables.items.map((v) => [v.name, v.value, v.scopeKey])).toEqual([['total', '400', task.elementInstanceKey]]);
    expect([bobForm, bobVariables]).toEqual([403, 403]);
  });

  it('answers an unknown key with 404 and a bad filter with 400 naming the field', async () => {
    // given
    const headers = { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' };
    // when
    const unknown = await statusOf(admin.getUserTask({ userTaskKey: '123' } as never, NOW));
    const tags = await fetch(`${t.weft.url}/v2/user-tasks/search`, { method: 'POST', headers, body: JSON.stringify({ filter: { tags: ['x'] } }) });
    const priority = await fetch(`${t.weft.url}/v2/user-tasks/search`, { method: 'POST', headers, body: JSON.stringify({ filter: { priority: { $around: 3 } } }) });
    // then
    expect(unknown).toBe(404);
    expect([tags.status, priority.status]).toEqual([400, 400]);
    expect((await tags.json()).detail).toContain('tags');
    expect((await priority.json()).detail).toContain('priority');
  });
});
