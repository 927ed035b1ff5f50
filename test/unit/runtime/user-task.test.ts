import { describe, expect, it } from 'vitest';
import { model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

/** start → approve (user task) → end */
function approve(props: Record<string, unknown> = {}) {
  return model('p')
    .add('start', 'startEvent')
    .add('approve', 'userTask', { name: 'Approve order', ...props })
    .add('end', 'endEvent')
    .chain('start', 'approve', 'end')
    .build();
}

describe('runtime: user task', () => {
  it('creates a task with assignee, groups from a literal list, due date, default priority and form', () => {
    // given
    const definition = approve({
      assignee: { value: 'anna' },
      candidateGroups: { value: 'sales, finance' },
      dueDate: { value: '2026-12-01T10:00:00+01:00' },
      formId: 'approve-form',
      headers: { kind: 'approval' },
    });
    // when
    const s = scenario(definition).start({ orderId: 'o-1' });
    // then
    const instance = s.instanceOf('approve');
    expect(s.effectsOf('CREATE_TASK')).toEqual([
      {
        type: 'CREATE_TASK',
        task: {
          id: 'id-1',
          elementId: 'approve',
          elementInstanceKey: instance.key,
          name: 'Approve order',
          assignee: 'anna',
          candidateGroups: ['sales', 'finance'],
          candidateUsers: [],
          dueDate: '2026-12-01T09:00:00.000Z',
          followUpDate: undefined,
          formId: 'approve-form',
          formKey: undefined,
          priority: 50,
          headers: { kind: 'approval' },
          variables: { orderId: 'o-1' },
        },
      },
    ]);
    expect(instance).toMatchObject({ state: 'ACTIVE', taskId: 'id-1' });
    expect(s.audits().at(-1)).toEqual({ type: 'TASK_CREATED', elementId: 'approve', elementInstanceKey: instance.key, payload: { taskId: 'id-1', assignee: 'anna' } });
  });

  it('resolves assignee, candidate groups and users, and priority from FEEL', () => {
    // given
    const definition = approve({
      assignee: { feel: 'owner' },
      candidateGroups: { feel: 'groups' },
      candidateUsers: { feel: '["bob", "carl"]' },
      priority: { feel: 'urgency * 10' },
    });
    // when
    const s = scenario(definition).start({ owner: 'dora', groups: ['ops', 'it'], urgency: 8 });
    // then
    expect(s.effectsOf('CREATE_TASK')[0].task).toMatchObject({ assignee: 'dora', candidateGroups: ['ops', 'it'], candidateUsers: ['bob', 'carl'], priority: 80 });
  });

  it('accepts a FEEL date-time with a zone id as due date and stores it as ISO UTC', () => {
    // given
    const definition = approve({
      dueDate: { feel: 'date and time("2026-12-01T10:00:00@Europe/Berlin")' },
      followUpDate: { feel: 'date and time("2026-11-30T08:00:00Z")' },
    });
    // when
    const s = scenario(definition).start();
    // then
    expect(s.effectsOf('CREATE_TASK')[0].task).toMatchObject({ dueDate: '2026-12-01T09:00:00.000Z', followUpDate: '2026-11-30T08:00:00.000Z' });
  });

  it('accepts an ISO date-time string with an offset and a zone id', () => {
    // given
    const definition = approve({ dueDate: { feel: 'due' } });
    // when
    const s = scenario(definition).start({ due: '2026-12-01T10:00:00+01:00[Europe/Berlin]' });
    // then
    expect(s.effectsOf('CREATE_TASK')[0].task.dueDate).toBe('2026-12-01T09:00:00.000Z');
  });

  it.each([
    ['not a date', 'next friday'],
    ['a bare number', '1'],
    ['a US-style date', '12/01/2026'],
    ['a date without a time', '2026-12-01'],
    ['a date-time without a zone (its instant would depend on the server)', '2026-12-01T10:00:00'],
    ['an impossible day', '2026-02-30T10:00:00Z'],
  ])('opens an EXPRESSION_FAILED incident for a due date that is %s', (_what, due) => {
    // given
    const definition = approve({ dueDate: { feel: 'due' } });
    // when
    const s = scenario(definition).start({ due });
    // then
    expect(s.effectsOf('CREATE_TASK')).toEqual([]);
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'approve', retry: 'activate', message: expect.stringContaining('dueDate') });
    expect(s.instanceOf('approve').taskId).toBeUndefined();
  });

  it('opens an incident for a priority out of range and for candidate groups that are not strings', () => {
    // when
    const badPriority = scenario(approve({ priority: { value: '101' } })).start();
    const badGroups = scenario(approve({ candidateGroups: { feel: '[1, 2]' } })).start();
    // then
    expect(badPriority.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', message: expect.stringContaining('priority') });
    expect(badGroups.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', message: expect.stringContaining('candidateGroups') });
  });

  it('continues when the task is completed and propagates its variables', () => {
    // given
    const s = scenario(approve()).start();
    const taskId = s.taskId('approve');
    // when
    s.completeTask('approve', { approved: true });
    // then
    expect(s.effectTypes()).toEqual(['FINISH_TASK', 'INSTANCE_ENDED']);
    expect(s.effectsOf('FINISH_TASK')).toEqual([{ type: 'FINISH_TASK', taskId, state: 'COMPLETED' }]);
    expect(s.trace().slice(0, 3)).toEqual(['TASK_COMPLETED approve', 'VARIABLES_SET', 'ELEMENT_COMPLETED approve']);
    expect(s.rootVariables()).toEqual({ approved: true });
    expect(s.state.elements[INSTANCE_ID].state).toBe('COMPLETED');
  });

  it('rejects completing a task the instance does not wait on', () => {
    // given
    const s = scenario(approve()).start();
    // when
    const rejection = s.rejected({ type: 'COMPLETE_TASK', taskId: 'no-such-task', variables: {} });
    // then
    expect(rejection.code).toBe('TASK_NOT_ACTIVE');
  });
});
