/**
 * Gateways: EXPECTATIONS.md entries 1–15, from Camunda 7's own tests
 * (../shared/corpus/camunda7). JUEL conditions are translated to FEEL by the
 * harness (harness/dialects.ts), nothing else is changed.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { start, World } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: gateways', () => {
  expectation(1, 'ExclusiveGatewayTest.testDivergingExclusiveGateway — creates exactly the task its condition picks', async () => {
    for (const input of [1, 2, 3]) {
      const run = await start(file('ExclusiveGatewayTest.testDivergingExclusiveGateway'), { input });
      expect(run.tasks()).toEqual([`Task ${input}`]);
    }
  });

  expectation(2, 'ExclusiveGatewayTest.testDefaultSequenceFlow — takes the default flow when no condition holds', async () => {
    expect((await start(file('ExclusiveGatewayTest.testDefaultSequenceFlow'), { input: 1 })).tasks()).toEqual(['Input is one']);
    expect((await start(file('ExclusiveGatewayTest.testDefaultSequenceFlow'), { input: 5 })).tasks()).toEqual(['Default input']);
  });

  // Camunda 7 fails the start (ENGINE-02004); Weft's counterpart is an incident on the gateway.
  expectation(3, 'ExclusiveGatewayTest.testNoSequenceFlowSelected — no selectable flow, no default: an incident on exclusiveGw, no task', async () => {
    const run = await start(file('ExclusiveGatewayTest.testNoSequenceFlowSelected'), { input: 4 });
    expect(run.incidents()).toEqual(['exclusiveGw: CONDITION_FAILED']);
    expect(run.tasks()).toEqual([]);
  });

  expectation(4, 'ExclusiveGatewayTest.testMergingExclusiveGateway — passes each of three tokens through: 3 × "my task"', async () => {
    const run = await start(file('ExclusiveGatewayTest.testMergingExclusiveGateway'));
    expect(run.tasks()).toEqual(['my task', 'my task', 'my task']);
  });

  expectation(5, 'ParallelGatewayTest.testForkJoin — the join waits for both branches', async () => {
    const run = await start(file('ParallelGatewayTest.testForkJoin'));
    expect(run.tasks()).toEqual(['Receive Payment', 'Ship Order']);
    run.complete('Receive Payment');
    expect(run.tasks()).toEqual(['Ship Order']);
    run.complete('Ship Order');
    expect(run.tasks()).toEqual(['Archive Order']);
  });

  expectation(6, 'ParallelGatewayTest.testNestedForkJoin — nested fork and join', async () => {
    const run = await start(file('ParallelGatewayTest.testNestedForkJoin'));
    expect(run.tasks()).toEqual(['Task 0']);
    run.complete('Task 0');
    expect(run.tasks()).toEqual(['Task A', 'Task B']);
    run.complete('Task A');
    expect(run.tasks()).toEqual(['Task B']);
    run.complete('Task B');
    expect(run.tasks()).toEqual(['Task B1', 'Task B2']);
    run.complete('Task B1');
    run.complete('Task B2');
    expect(run.tasks()).toEqual(['Task C']);
  });

  expectation(7, 'ParallelGatewayTest.testUnbalancedForkJoin — an unbalanced fork and join', async () => {
    const run = await start(file('ParallelGatewayTest.testUnbalancedForkJoin'));
    expect(run.tasks()).toEqual(['Task 1', 'Task 2', 'Task 3']);
    run.complete('Task 1');
    expect(run.tasks()).toEqual(['Task 2', 'Task 3']);
    run.complete('Task 2');
    expect(run.tasks()).toEqual(['Task 3', 'Task 4']);
    run.complete('Task 3');
    run.complete('Task 4');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(8, 'ParallelGatewayTest.testForkFollowedByOnlyEndEvents — ends during start', async () => {
    const run = await start(file('ParallelGatewayTest.testForkFollowedByOnlyEndEvents'));
    expect(run.status).toBe('COMPLETED');
  });

  expectation(9, 'InclusiveGatewayTest.testDivergingInclusiveGateway — activates every branch whose condition holds', async () => {
    const expected: Record<number, string[]> = { 1: ['Task 1', 'Task 2', 'Task 3'], 2: ['Task 2', 'Task 3'], 3: ['Task 3'] };
    for (const input of [1, 2, 3]) {
      expect((await start(file('InclusiveGatewayTest.testDivergingInclusiveGateway'), { input })).tasks()).toEqual(expected[input]);
    }
  });

  expectation(10, 'InclusiveGatewayTest.testMergingInclusiveGateway — two tokens from conditional start flows merge: 1 × "my task"', async () => {
    const run = await start(file('InclusiveGatewayTest.testMergingInclusiveGateway'), { input: 2 });
    expect(run.tasks()).toEqual(['my task']);
  });

  expectation(11, 'InclusiveGatewayTest.testPartialMergingInclusiveGateway — the full join waits for partialTask, then fires once', async () => {
    const run = await start(file('InclusiveGatewayTest.testPartialMergingInclusiveGateway'), { input: 2 });
    expect(run.taskElements()).toEqual(['partialTask']);
    expect(run.taken('partialInclusiveGw')).toBe(1);
    expect(run.waitingJoins()).toEqual(['fullInclusiveGw']);
    run.complete('partialTask');
    expect(run.taskElements()).toEqual(['theTask']);
  });

  expectation(12, 'InclusiveGatewayTest.testDefaultSequenceFlow — takes the default flow only when no condition holds', async () => {
    const name = file('InclusiveGatewayTest.testDefaultSequenceFlow');
    expect((await start(name, { input: 1 })).tasks()).toEqual(['Input is one', 'Input is three or one']);
    expect((await start(name, { input: 3 })).tasks()).toEqual(['Input is three or one']);
    expect((await start(name, { input: 5 })).tasks()).toEqual(['Default input']);
  });

  expectation(13, 'InclusiveGatewayTest.testNoSequenceFlowSelected — no selectable flow: an incident on inclusiveGw, no task', async () => {
    const run = await start(file('InclusiveGatewayTest.testNoSequenceFlowSelected'), { input: 4 });
    expect(run.incidents()).toEqual(['inclusiveGw: CONDITION_FAILED']);
    expect(run.tasks()).toEqual([]);
  });

  expectation(14, 'EventBasedGatewayTest.testCatchAlertAndTimer — the "alert" signal or the PT0S timer wins; the other is removed', async () => {
    const catchFile = file('EventBasedGatewayTest.testCatchAlertAndTimer');
    const throwFile = file('EventBasedGatewayTest.throwAlertSignal');
    // (a) another process throws "alert" before any timer is fired
    const a = await World.deploy(catchFile, throwFile);
    const waiting = a.start('catchSignal');
    expect(a.subscriptions()).toHaveLength(1);
    expect(a.timers()).toHaveLength(1);
    a.start('throwSignal');
    expect(a.subscriptions()).toEqual([]);
    expect(a.timers()).toEqual([]);
    expect(waiting.tasks()).toEqual(['afterSignal']);
    // (b) the clock moves on and the due timer fires first
    const b = await World.deploy(catchFile, throwFile);
    const racing = b.start('catchSignal');
    b.advance('PT1M');
    expect(b.subscriptions()).toEqual([]);
    expect(racing.tasks()).toEqual(['afterTimer']);
  });

  expectation(15, 'EventBasedGatewayTest.testCatchSignalAndMessageAndTimer — delivering "newInvoice" removes both subscriptions and the timer', async () => {
    const world = await World.deploy(file('EventBasedGatewayTest.testCatchSignalAndMessageAndTimer'));
    const run = world.start('catchSignal');
    expect(world.subscriptions().map((s) => s.kind).sort()).toEqual(['message', 'signal']);
    expect(world.timers()).toHaveLength(1);
    world.deliverMessage('newInvoice');
    expect(world.subscriptions()).toEqual([]);
    expect(world.timers()).toEqual([]);
    expect(run.tasks()).toEqual(['afterMessage']);
  });
});
