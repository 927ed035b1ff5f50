import { afterEach, describe, expect, it } from 'vitest';
import { IDS, task } from './fake-engine.js';
import { startApp, type Harness } from './harness.js';

describe('/api/tasks', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('lists tasks with every filter', async () => {
    // given
    h = await startApp();
    // when
    const res = await h.api(`/api/tasks?assignee=bob&candidateGroup=managers&state=CREATED&processInstanceId=${IDS.instance}&limit=5&offset=10`);
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [task], total: 1, limit: 5, offset: 10 });
    expect(h.engine.lastCall('listTasks')).toEqual([
      { assignee: 'bob', candidateGroup: 'managers', state: 'CREATED', processInstanceId: IDS.instance, limit: 5, offset: 10 },
    ]);
  });

  it('answers 400 for a processInstanceId filter that is not a UUID', async () => {
    h = await startApp();
    const res = await h.api('/api/tasks?processInstanceId=nope');
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe('processInstanceId');
  });

  it('returns one task', async () => {
    h = await startApp();
    const res = await h.api(`/api/tasks/${IDS.task}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(task);
  });

  it('claims a task', async () => {
    h = await startApp();
    const res = await h.api(`/api/tasks/${IDS.task}/claim`, { method: 'POST', json: { assignee: 'bob' } });
    expect(res.status).toBe(200);
    expect((await res.json()).assignee).toBe('bob');
    expect(h.engine.lastCall('claimTask')).toEqual([IDS.task, 'bob', 'admin']);
  });

  it('refuses a claim without an assignee', async () => {
    h = await startApp();
    const res = await h.api(`/api/tasks/${IDS.task}/claim`, { method: 'POST', json: { assignee: '' } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe('assignee');
  });

  it('completes a task and reports a duplicate completion', async () => {
    h = await startApp();
    const res = await h.api(`/api/tasks/${IDS.task}/complete`, { method: 'POST', json: { variables: { approved: true } } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: true });
    expect(h.engine.lastCall('completeTask')).toEqual([IDS.task, { approved: true }, 'admin']);
  });

  it('answers 404 for a malformed task id', async () => {
    h = await startApp();
    const res = await h.api('/api/tasks/abc');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('TASK_NOT_FOUND');
  });

  describe('for a user (not an admin)', () => {
    const as = (user: string, groups: string[]) =>
      startApp({ authenticate: async (token) => (token === user ? { id: `user:${user}`, user, roles: ['user'], groups } : null) });
    const bearer = (user: string) => ({ authorization: `Bearer ${user}` });

    it('shows a task offered to one of their groups, and refuses it to others with 403', async () => {
      h = await as('mia', ['managers']);
      expect((await h.api(`/api/tasks/${IDS.task}`, { headers: bearer('mia') })).status).toBe(200);
      await h.close();
      h = await as('sam', ['sales']);
      const res = await h.api(`/api/tasks/${IDS.task}`, { headers: bearer('sam') });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('FORBIDDEN');
    });

    it('claims for themselves only, and never for someone outside the candidates', async () => {
      // given
      h = await as('mia', ['managers']);
      // when
      const forOther = await h.api(`/api/tasks/${IDS.task}/claim`, { method: 'POST', json: { assignee: 'bob' }, headers: bearer('mia') });
      const forSelf = await h.api(`/api/tasks/${IDS.task}/claim`, { method: 'POST', json: {}, headers: bearer('mia') });
      // then
      expect(forOther.status).toBe(403);
      expect(forSelf.status).toBe(200);
      expect(h.engine.calls.filter((c) => c.method === 'claimTask')).toEqual([{ method: 'claimTask', args: [IDS.task, 'mia', 'user:mia'] }]);
    });

    it('must claim before completing', async () => {
      h = await as('mia', ['managers']);
      const res = await h.api(`/api/tasks/${IDS.task}/complete`, { method: 'POST', json: { variables: {} }, headers: bearer('mia') });
      expect(res.status).toBe(403);
      expect(h.engine.lastCall('completeTask')).toBeUndefined();
    });

    it('sees only visible tasks in the list', async () => {
      h = await as('sam', ['sales']);
      const res = await h.api('/api/tasks', { headers: bearer('sam') });
      expect((await res.json()).items).toEqual([]);
    });
  });
});
