/**
 * Gateway behaviour from Camunda 7's own tests (../shared/corpus/camunda7,
 * entries 1–13 of EXPECTATIONS.md), run by Weft. Entries 10 and 11 put
 * conditions on flows leaving a start event, which Camunda 8 (and so Weft's
 * compiler) refuses; the partial inclusive merge of entry 11 is pinned by
 * the runtime's own inclusive-gateway tests instead.
 */
import { describe, expect, it } from 'vitest';
import { CORPUS, Run } from './camunda7-harness.js';

describe.skipIf(!CORPUS)('Camunda 7 corpus: gateways', () => {
  it('1. a diverging exclusive gateway creates exactly the task its condition picks', async () => {
    for (const input of [1, 2, 3]) {
      const run = await Run.start('ExclusiveGatewayTest.testDivergingExclusiveGateway.bpmn20.xml', { input });
      expect(run.tasks()).toEqual([`Task ${input}`]);
    }
  });

  it('2. an exclusive gateway takes its default flow when no condition holds', async () => {
    expect((await Run.start('ExclusiveGatewayTest.testDefaultSequenceFlow.bpmn20.xml', { input: 1 })).tasks()).toEqual(['Input is one']);
    expect((await Run.start('ExclusiveGatewayTest.testDefaultSequenceFlow.bpmn20.xml', { input: 5 })).tasks()).toEqual(['Default input']);
  });

  it('3. no selectable flow and no default: an incident on the gateway, no task', async () => {
    const run = await Run.start('ExclusiveGatewayTest.testNoSequenceFlowSelected.bpmn20.xml', { input: 4 });
    expect(run.incidents()).toEqual(['exclusiveGw: CONDITION_FAILED']);
    expect(run.tasks()).toEqual([]);
  });

  it('4. a merging exclusive gateway passes each of three tokens through', async () => {
    const run = await Run.start('ExclusiveGatewayTest.testMergingExclusiveGateway.bpmn20.xml');
    expect(run.tasks()).toEqual(['my task', 'my task', 'my task']);
  });

  it('5. fork and join: the join waits for both branches', async () => {
    const run = await Run.start('ParallelGatewayTest.testForkJoin.bpmn20.xml');
    expect(run.tasks()).toEqual(['Receive Payment', 'Ship Order']);
    run.complete('Receive Payment');
    expect(run.tasks()).toEqual(['Ship Order']);
    run.complete('Ship Order');
    expect(run.tasks()).toEqual(['Archive Order']);
  });

  it('6. nested fork and join', async () => {
    const run = await Run.start('ParallelGatewayTest.testNestedForkJoin.bpmn20.xml');
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

  it('7. an unbalanced fork and join', async () => {
    const run = await Run.start('ParallelGatewayTest.testUnbalancedForkJoin.bpmn20.xml');
    expect(run.tasks()).toHaveLength(3);
    run.complete('Task 1');
    expect(run.tasks()).toEqual(['Task 2', 'Task 3']);
    run.complete('Task 2');
    expect(run.tasks()).toEqual(['Task 3', 'Task 4']);
    run.complete('Task 3');
    run.complete('Task 4');
    expect(run.ended).toBe(true);
  });

  it('8. a fork into end events ends the instance during start', async () => {
    const run = await Run.start('ParallelGatewayTest.testForkFollowedByOnlyEndEvents.bpmn20.xml');
    expect(run.state.status).toBe('COMPLETED');
  });

  it('9. a diverging inclusive gateway activates every branch whose condition holds', async () => {
    const expected: Record<number, string[]> = { 1: ['Task 1', 'Task 2', 'Task 3'], 2: ['Task 2', 'Task 3'], 3: ['Task 3'] };
    for (const input of [1, 2, 3]) {
      expect((await Run.start('InclusiveGatewayTest.testDivergingInclusiveGateway.bpmn20.xml', { input })).tasks()).toEqual(expected[input]);
    }
  });

  it('10. conditional flows out of a start event are refused at deploy (Zeebe semantics), with the reason', async () => {
    await expect(Run.start('InclusiveGatewayTest.testMergingInclusiveGateway.bpmn20.xml', { input: 2 })).rejects.toThrow(/condition/i);
  });

  it('11. (conditional flows out of a start event again) refused at deploy, naming each flow', async () => {
    await expect(Run.start('InclusiveGatewayTest.testPartialMergingInclusiveGateway.bpmn20.xml', { input: 2 })).rejects.toThrow(/flow1.*flow2.*flow3/s);
  });

  it('12. an inclusive gateway takes its default flow only when no condition holds', async () => {
    const file = 'InclusiveGatewayTest.testDefaultSequenceFlow.bpmn20.xml';
    expect((await Run.start(file, { input: 1 })).tasks()).toEqual(['Input is one', 'Input is three or one']);
    expect((await Run.start(file, { input: 3 })).tasks()).toEqual(['Input is three or one']);
    expect((await Run.start(file, { input: 5 })).tasks()).toEqual(['Default input']);
  });

  it('13. an inclusive gateway with no selectable flow: an incident, no task', async () => {
    const run = await Run.start('InclusiveGatewayTest.testNoSequenceFlowSelected.bpmn20.xml', { input: 4 });
    expect(run.incidents()).toEqual(['inclusiveGw: CONDITION_FAILED']);
    expect(run.tasks()).toEqual([]);
  });
});
