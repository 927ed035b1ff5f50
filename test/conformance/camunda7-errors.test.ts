/**
 * BPMN errors and escalations: EXPECTATIONS.md entries 32–41, from Camunda
 * 7's own tests. Here the errors and escalations are thrown by end and
 * throw events inside the instance, not by job workers.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { start, World } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: errors', () => {
  expectation(32, 'BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocess — a catch-all boundary catches the error end (123)', async () => {
    const run = await start(file('BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocess'));
    expect(run.tasks()).toEqual(['subprocessTask']);
    run.complete('subprocessTask');
    expect(run.tasks()).toEqual(['task after catching the error']);
  });

  expectation(33, 'BoundaryErrorEventTest.testCatchErrorOfInnerSubprocessOnOuterSubprocess — error 123 passes the inner 456 boundary to the outer one', async () => {
    const run = await start(file('BoundaryErrorEventTest.testCatchErrorOfInnerSubprocessOnOuterSubprocess'));
    expect(run.tasks()).toEqual(['Inner subprocess task 1', 'Inner subprocess task 2']);
    run.complete('Inner subprocess task 2');
    expect(run.terminated('innerTask1')).toBe(1);
    expect(run.tasks()).toEqual(['task outside subprocess']);
  });

  expectation(34, 'BoundaryErrorEventTest.testCatchErrorInConcurrentEmbeddedSubprocesses — error 2 is caught inside, error 1 only outside', async () => {
    const path = file('BoundaryErrorEventTest.testCatchErrorInConcurrentEmbeddedSubprocesses');
    // (a) task A first: error 1 ends the outer sub-process
    const a = await start(path);
    expect(a.tasks()).toEqual(['task A', 'task B']);
    a.complete('task A');
    expect(a.tasks()).toEqual(['task D']);
    a.complete('task D');
    expect(a.status).toBe('COMPLETED');
    // (b) task B first: error 2 is caught on inner sub-process 2
    const b = await start(path);
    b.complete('task B');
    expect(b.tasks()).toEqual(['task A', 'task C']);
    b.complete('task C');
    expect(b.tasks()).toEqual(['task A']);
    b.complete('task A');
    expect(b.tasks()).toEqual(['task D']);
  });

  // The child's error end names errorRef="myError" and no <error> is declared: Camunda 7 takes the name as the code.
  expectation(35, 'BoundaryErrorEventTest.testCatchErrorOnCallActivity-parent — the called process\'s error end is caught on the call activity', async () => {
    const world = await World.deploy('camunda7/BoundaryErrorEventTest.testCatchErrorOnCallActivity-parent.bpmn20.xml', file('BoundaryErrorEventTest.subprocess'));
    const parent = world.start('catchErrorOnCallActivity');
    expect(world.tasks()).toEqual(['simpleSubProcess: Task in subprocess']);
    const child = world.instanceOf('simpleSubProcess');
    child.complete('Task in subprocess');
    expect(parent.tasks()).toEqual(['Escalated Task']);
    parent.complete('Escalated Task');
    expect(parent.status).toBe('COMPLETED');
  });

  // The boundary's outgoing flow has id "flow4 " (trailing space): the file is loaded as it is.
  expectation(36, 'BoundaryErrorEventTest.testCatchErrorOnParallelMultiInstance — one instance\'s error cancels the other instances and ends the process', async () => {
    const run = await start(file('BoundaryErrorEventTest.testCatchErrorOnParallelMultiInstance'));
    expect(run.taskElements()).toEqual(Array(5).fill('subProcessTask'));
    run.complete('subProcessTask', { throwError: false });
    run.complete('subProcessTask', { throwError: false });
    run.complete('subProcessTask', { throwError: true });
    expect(run.tasks()).toEqual([]);
    expect(run.status).toBe('COMPLETED');
    expect(run.taken('taskAfterSubProcess')).toBe(0);
  });

  expectation(37, 'ErrorEventSubProcessTest.testCatchErrorInEmbeddedSubProcess — an error event sub-process inside the sub-process catches its error end', async () => {
    const run = await start(file('ErrorEventSubProcessTest.testCatchErrorInEmbeddedSubProcess'));
    expect(run.tasks()).toEqual(['Escalated Task']);
    run.complete('Escalated Task');
    expect(run.status).toBe('COMPLETED');
  });
});

describe('Camunda 7 corpus: escalation', () => {
  expectation(38, 'EscalationEventTest.testThrowEscalationEventFromEmbeddedSubprocess — a non-interrupting boundary catches; the sub-process goes on', async () => {
    const run = await start(file('EscalationEventTest.testThrowEscalationEventFromEmbeddedSubprocess'));
    expect(run.tasks()).toEqual(['task after catched escalation', 'task in subprocess']);
  });

  expectation(39, 'EscalationEventTest.testInterruptingEscalationBoundaryEvent — an interrupting boundary cancels the sub-process', async () => {
    const run = await start(file('EscalationEventTest.testInterruptingEscalationBoundaryEvent'));
    expect(run.terminated('subProcess')).toBe(1);
    expect(run.tasks()).toEqual(['task after catched escalation']);
  });

  expectation(40, 'EscalationEventTest.testEscalationEndEvent — an escalation end is caught non-interrupting; the sub-process completes to theEnd', async () => {
    const run = await start(file('EscalationEventTest.testEscalationEndEvent'));
    expect(run.tasks()).toEqual(['task after catched escalation']);
    expect(run.taken('subProcess')).toBe(1);
    expect(run.taken('theEnd')).toBe(1);
  });

  expectation(41, 'EscalationEventSubprocessTest.testCatchEscalationEventFromEmbeddedSubprocess — a non-interrupting escalation event sub-process at process level catches', async () => {
    const run = await start(file('EscalationEventSubprocessTest.testCatchEscalationEventFromEmbeddedSubprocess'));
    expect(run.tasks()).toEqual(['task after catched escalation', 'task in subprocess']);
  });
});
