import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { startInstance } from '../../../engine/runtime/step.js';
import { testContext } from './process-builder.js';
import { scenario, INSTANCE_ID } from './scenario.js';

// call-activity.bpmn: `order` calls the process named by variable `approvalProcess` with limit = amount * 2,
// taking back only `approver` (propagateAllChildVariables=false); error DECLINED is caught on the call activity,
// a P3D timer interrupts it. `approval` (the child) ends in error DECLINED when not approved.
async function processes() {
  const xml = readFileSync(new URL('../../fixtures/runtime/call-activity.bpmn', import.meta.url), 'utf8');
  const { processes, problems } = await compile(xml, 'call-activity.bpmn');
  expect(problems).toEqual([]);
  return { order: processes.find((p) => p.id === 'order')!, approval: processes.find((p) => p.id === 'approval')! };
}

const parentLink = { instanceId: INSTANCE_ID, elementInstanceKey: '2', elementId: 'approve', processId: 'order' };

describe('runtime: call activity', () => {
  it('starts the called process with the parent\'s variables and its input mappings, and waits', async () => {
    const s = scenario((await processes()).order).start({ amount: 10, approvalProcess: 'approval' });
    const [start] = s.effectsOf('START_CHILD_INSTANCE');
    expect(start.child).toMatchObject({ processId: 'approval', binding: { type: 'latest' }, variables: { amount: 10, approvalProcess: 'approval', limit: 20 } });
    expect(start.child.parent).toEqual({ instanceId: INSTANCE_ID, elementInstanceKey: s.instanceOf('approve').key, elementId: 'approve', processId: 'order' });
    expect(s.instanceOf('approve').childInstanceId).toBe(start.child.id);
  });

  it('completes when the child completes, taking back only what its output mappings say', async () => {
    const s = scenario((await processes()).order).start({ amount: 10, approvalProcess: 'approval' });
    const { child } = s.effectsOf('START_CHILD_INSTANCE')[0];
    s.run({ type: 'CHILD_COMPLETED', elementInstanceKey: child.parent.elementInstanceKey, childInstanceId: child.id, variables: { approvedBy: 'ann', secret: 1 } });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.rootVariables()).toEqual({ amount: 10, approvalProcess: 'approval', approver: 'ann' });
    // a second report of the same end changes nothing
    expect(s.rejected({ type: 'CHILD_COMPLETED', elementInstanceKey: child.parent.elementInstanceKey, childInstanceId: child.id, variables: {} }).code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it('an error from the child is thrown on at the call activity and caught by its boundary event', async () => {
    const s = scenario((await processes()).order).start({ amount: 10, approvalProcess: 'approval' });
    const { child } = s.effectsOf('START_CHILD_INSTANCE')[0];
    s.run({ type: 'CHILD_ERROR', elementInstanceKey: child.parent.elementInstanceKey, childInstanceId: child.id, errorCode: 'DECLINED', variables: {} });
    expect(s.activated()).toContain('declined-end');
    expect(s.effectsOf('CANCEL_CHILD_INSTANCE')).toEqual([]);
  });

  it('an interrupting boundary event cancels the child', async () => {
    const s = scenario((await processes()).order).start({ amount: 10, approvalProcess: 'approval' });
    const { child } = s.effectsOf('START_CHILD_INSTANCE')[0];
    s.fireTimer('too-long');
    expect(s.effectsOf('CANCEL_CHILD_INSTANCE')).toEqual([{ type: 'CANCEL_CHILD_INSTANCE', childInstanceId: child.id }]);
  });

  it('a called process id that does not evaluate is an incident', async () => {
    const s = scenario((await processes()).order).start({ amount: 10 });
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'approve' });
    expect(s.effectsOf('START_CHILD_INSTANCE')).toEqual([]);
  });

  it('a called process that cannot be started is an incident naming it; resolving it tries again', async () => {
    const s = scenario((await processes()).order).start({ amount: 10, approvalProcess: 'nope' });
    const { child } = s.effectsOf('START_CHILD_INSTANCE')[0];
    s.run({ type: 'CHILD_START_FAILED', elementInstanceKey: child.parent.elementInstanceKey, childInstanceId: child.id, message: "No process 'nope' is deployed" });
    expect(s.incident()).toMatchObject({ type: 'CALLED_PROCESS_NOT_FOUND', elementId: 'approve', message: "No process 'nope' is deployed" });
    s.resolve();
    expect(s.effectsOf('START_CHILD_INSTANCE')).toHaveLength(1);
  });

  describe('the child', () => {
    it('tells its parent it completed, with its variables', async () => {
      const { approval } = await processes();
      const s = scenario(approval);
      const started = startInstance(approval, { id: 'child-1', definitionKey: 'd', version: 1, parent: parentLink }, { limit: 20 }, s.ctx);
      if (!started.ok) throw new Error(started.rejection.message);
      s.state = started.state;
      s.completeTask('decide', { approved: true, approvedBy: 'ann' });
      expect(s.effectsOf('NOTIFY_PARENT')).toEqual([
        { type: 'NOTIFY_PARENT', parent: parentLink, outcome: { type: 'completed', variables: { limit: 20, approved: true, approvedBy: 'ann' } } },
      ]);
    });

    it('hands an error it does not catch to its parent and ends', async () => {
      const { approval } = await processes();
      const s = scenario(approval);
      const started = startInstance(approval, { id: 'child-1', definitionKey: 'd', version: 1, parent: parentLink }, {}, testContext());
      if (!started.ok) throw new Error(started.rejection.message);
      s.state = started.state;
      s.completeTask('decide', { approved: false });
      expect(s.state.status).toBe('TERMINATED');
      expect(s.effectsOf('OPEN_INCIDENT')).toEqual([]);
      expect(s.effectsOf('NOTIFY_PARENT')).toEqual([{ type: 'NOTIFY_PARENT', parent: parentLink, outcome: { type: 'error', errorCode: 'DECLINED', variables: {} } }]);
    });
  });
});
