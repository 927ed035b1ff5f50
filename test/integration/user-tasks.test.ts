/**
 * User tasks through the REST API: what the diagram says about assignment,
 * schedule and form (literal and FEEL), the inbox filters, claiming and
 * completing — including the refusals.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');

describe('user tasks', () => {
  let t: TestWeft;

  const defaults = { owner: null, region: 'emea', reviewers: ['dan', 'erin'], deadline: '2030-02-01T09:00:00Z', urgency: 7 };

  /** Starts an instance; returns its id and its two tasks by element id. */
  async function start(variables: Record<string, unknown> = {}): Promise<{ id: string; literal: any; feel: any }> {
    const res = await t.api.post('/api/process-instances', { processId: 'task-assignment', variables: { ...defaults, ...variables } });
    expect(res.status).toBe(201);
    const id = res.body.id;
    const items = await eventually(async () => {
      const list = (await t.api.get(`/api/tasks?processInstanceId=${id}`)).body.items as any[];
      return list.length === 2 && list;
    });
    return { id, literal: items.find((i) => i.elementId === 'literal-task'), feel: items.find((i) => i.elementId === 'feel-task') };
  }

  const tasks = async (query: string): Promise<any[]> => {
    const res = await t.api.get(`/api/tasks?${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    t = await startTestWeft();
    expect((await t.api.deploy([{ name: 'task-assignment.bpmn', xml: fixture('task-assignment.bpmn') }])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('what the diagram says', () => {
    it('takes literal assignment, schedule, form, priority and headers from the diagram', async () => {
      // when
      const { id, literal } = await start();

      // then
      expect(literal).toEqual({
        id: expect.any(String),
        processInstanceId: id,
        processId: 'task-assignment',
        elementId: 'literal-task',
        name: 'Check the invoice',
        state: 'CREATED',
        assignee: 'alice',
        candidateGroups: ['sales', 'finance'],
        candidateUsers: ['bob', 'carol'],
        dueDate: '2030-01-15T09:00:00.000Z',
        followUpDate: '2030-01-10T08:00:00.000Z',
        formId: 'invoice-form',
        formKey: null,
        priority: 80,
        headers: { department: 'accounting' },
        variables: expect.objectContaining({ region: 'emea' }),
        createdAt: expect.any(String),
        completedAt: null,
        completedBy: null,
      });
      expect((await t.api.get(`/api/tasks/${literal.id}`)).body).toEqual(literal);
    });

    it('evaluates FEEL assignment, schedule and priority against the instance variables', async () => {
      // when
      const { feel } = await start({ owner: 'frank', region: 'apac', reviewers: ['gina'], deadline: '2030-02-01T09:00:00+02:00', urgency: 9 });

      // then
      expect(feel).toMatchObject({
        name: 'Approve the payment',
        assignee: 'frank',
        candidateGroups: ['apac-team', 'backoffice'],
        candidateUsers: ['gina'],
        dueDate: '2030-02-01T07:00:00.000Z',
        followUpDate: '2030-03-01T11:00:00.000Z',
        formId: 'approval-form',
        priority: 90,
        variables: expect.objectContaining({ owner: 'frank', region: 'apac' }),
      });
    });

    it('leaves a task unassigned when the FEEL assignee is null', async () => {
      const { feel } = await start({ owner: null });
      expect(feel.assignee).toBeNull();
    });
  });

  describe('the inbox filters', () => {
    it('filters by assignee, candidate group and state', async () => {
      // given: assignees and groups no other test uses
      const owner = `owner-${randomUUID().slice(0, 8)}`;
      const region = `r${randomUUID().slice(0, 8)}`;
      const mine = await start({ owner, region });
      const other = await start({ owner: `${owner}-not`, region: `${region}x` });

      // when
      const byAssignee = await tasks(`assignee=${owner}`);
      const byGroup = await tasks(`candidateGroup=${region}-team`);
      const byLiteralGroup = await tasks(`candidateGroup=finance&processInstanceId=${mine.id}`);
      expect((await t.api.post(`/api/tasks/${mine.feel.id}/complete`, {})).status).toBe(200);
      const created = await tasks(`processInstanceId=${mine.id}&state=CREATED`);
      const completed = await tasks(`processInstanceId=${mine.id}&state=COMPLETED`);
      const completedByAssignee = await tasks(`assignee=${owner}&state=COMPLETED`);

      // then
      expect(byAssignee.map((x) => x.id)).toEqual([mine.feel.id]);
      expect(byGroup.map((x) => x.id)).toEqual([mine.feel.id]);
      expect(byLiteralGroup.map((x) => x.id)).toEqual([mine.literal.id]);
      expect(created.map((x) => x.id)).toEqual([mine.literal.id]);
      expect(completed.map((x) => x.id)).toEqual([mine.feel.id]);
      expect(completed[0]).toMatchObject({ state: 'COMPLETED', completedBy: 'admin', completedAt: expect.any(String) });
      expect(completedByAssignee.map((x) => x.id)).toEqual([mine.feel.id]);
      expect((await tasks(`processInstanceId=${other.id}&assignee=${owner}`))).toEqual([]);
    });

    it('pages the task list and reports the total', async () => {
      // given
      const region = `p${randomUUID().slice(0, 8)}`;
      for (let i = 0; i < 3; i++) await start({ region });

      // when
      const page1 = await t.api.get(`/api/tasks?candidateGroup=${region}-team&limit=2&offset=0`);
      const page2 = await t.api.get(`/api/tasks?candidateGroup=${region}-team&limit=2&offset=2`);
      const past = await t.api.get(`/api/tasks?candidateGroup=${region}-team&limit=2&offset=4`);
      const none = await t.api.get(`/api/tasks?candidateGroup=${region}-nobody&limit=2`);

      // then
      expect(page1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page1.body.items).toHaveLength(2);
      expect(page2.body).toMatchObject({ total: 3, limit: 2, offset: 2 });
      expect(page2.body.items).toHaveLength(1);
      const ids = [...page1.body.items, ...page2.body.items].map((x: any) => x.id);
      expect(new Set(ids).size).toBe(3);
      // a page past the end still says how many there are
      expect(past.body).toMatchObject({ items: [], total: 3, offset: 4 });
      expect(none.body).toMatchObject({ items: [], total: 0 });
    });

    it('pages tasks created in the same step, with the same priority, without skipping or repeating one', async () => {
      // given: both tasks of an instance are created in one step (same created_at) with priority 80
      const instances = await Promise.all(Array.from({ length: 4 }, () => start({ urgency: 8 })));

      for (const { id, literal, feel } of instances) {
        // when
        const first = (await t.api.get(`/api/tasks?processInstanceId=${id}&limit=1&offset=0`)).body.items;
        const second = (await t.api.get(`/api/tasks?processInstanceId=${id}&limit=1&offset=1`)).body.items;

        // then
        expect([...first, ...second].map((x: any) => x.id).sort()).toEqual([literal.id, feel.id].sort());
      }
    });

    it('answers 400 for an unknown state filter', async () => {
      const res = await t.api.get('/api/tasks?state=DONE');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
    });
  });

  describe('claiming', () => {
    it('claims an unassigned task, is idempotent for the same user, and refuses another with 409', async () => {
      // given
      const { id, feel } = await start({ owner: null });

      // when
      const claimed = await t.api.post(`/api/tasks/${feel.id}/claim`, { assignee: 'hana' });
      const again = await t.api.post(`/api/tasks/${feel.id}/claim`, { assignee: 'hana' });
      const stolen = await t.api.post(`/api/tasks/${feel.id}/claim`, { assignee: 'ivan' });

      // then
      expect(claimed.status).toBe(200);
      expect(claimed.body).toMatchObject({ id: feel.id, assignee: 'hana', state: 'CREATED' });
      expect(again.status).toBe(200);
      expect(stolen.status).toBe(409);
      expect(stolen.body.error.code).toBe('TASK_ALREADY_CLAIMED');
      expect((await t.api.get(`/api/tasks/${feel.id}`)).body.assignee).toBe('hana');
      const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items.filter((e: any) => e.type === 'TASK_CLAIMED');
      expect(audit.map((e: any) => e.payload)).toEqual([{ taskId: feel.id, assignee: 'hana' }, { taskId: feel.id, assignee: 'hana' }]);
    });

    it('refuses with 409 to claim a task the diagram already assigned to someone else', async () => {
      const { literal } = await start();
      const res = await t.api.post(`/api/tasks/${literal.id}/claim`, { assignee: 'bob' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('TASK_ALREADY_CLAIMED');
    });

    it('answers 400 for a claim without an assignee', async () => {
      const { feel } = await start();
      const res = await t.api.post(`/api/tasks/${feel.id}/claim`, {});
      expect(res.status).toBe(400);
    });
  });

  describe('completing', () => {
    it('completes a task with variables, moves the instance on, and answers a second completion as a duplicate', async () => {
      // given
      const { id, literal, feel } = await start({ owner: 'jo' });
      await t.api.post(`/api/tasks/${feel.id}/complete`, { variables: { approved: true } });

      // when
      const first = await t.api.post(`/api/tasks/${literal.id}/complete`, { variables: { invoiceOk: true } });
      const second = await t.api.post(`/api/tasks/${literal.id}/complete`, { variables: { invoiceOk: false } });

      // then
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ ok: true, duplicate: false });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ ok: true, duplicate: true });
      const instance = (await t.api.get(`/api/process-instances/${id}`)).body;
      expect(instance).toMatchObject({ state: 'COMPLETED', variables: { approved: true, invoiceOk: true } });
      const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items;
      expect(audit.filter((e: any) => e.type === 'TASK_COMPLETED')).toHaveLength(2);
      expect((await t.api.get(`/api/tasks/${literal.id}`)).body).toMatchObject({ state: 'COMPLETED', completedBy: 'admin' });
    });

    it('refuses with 409 to complete or claim a task of a canceled instance', async () => {
      // given
      const { id, feel } = await start({ owner: null });
      expect((await t.api.post(`/api/process-instances/${id}/cancel`)).status).toBe(200);

      // when
      const complete = await t.api.post(`/api/tasks/${feel.id}/complete`, { variables: { late: true } });
      const claim = await t.api.post(`/api/tasks/${feel.id}/claim`, { assignee: 'kim' });

      // then
      expect(complete.status).toBe(409);
      expect(complete.body.error.code).toBe('TASK_NOT_ACTIVE');
      expect(claim.status).toBe(409);
      expect(claim.body.error.code).toBe('TASK_NOT_ACTIVE');
      expect((await t.api.get(`/api/tasks/${feel.id}`)).body).toMatchObject({ state: 'CANCELED', completedBy: null });
    });

    it('answers 404 for an unknown task', async () => {
      for (const res of [
        await t.api.get(`/api/tasks/${randomUUID()}`),
        await t.api.post(`/api/tasks/${randomUUID()}/complete`, {}),
        await t.api.post(`/api/tasks/${randomUUID()}/claim`, { assignee: 'x' }),
        await t.api.get('/api/tasks/not-a-uuid'),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('TASK_NOT_FOUND');
      }
    });
  });

  it('refuses, under the instance lock, a completion that expects another assignee, and changes nothing', async () => {
    // given a task assigned to someone else than the completer expects
    const { literal } = await start();
    const holder = literal.assignee as string;
    expect(holder).toBeTruthy();

    // when the completion expects mallory to hold it
    const refused = t.weft.engine.completeTask(literal.id, { ok: true }, 'user:mallory', { assignee: 'mallory' });

    // then
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await t.api.get(`/api/tasks/${literal.id}`)).body).toMatchObject({ state: 'CREATED', assignee: holder });
    await expect(t.weft.engine.completeTask(literal.id, { ok: true }, `user:${holder}`, { assignee: holder })).resolves.toEqual({ duplicate: false });
  });
});
