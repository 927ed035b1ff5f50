/**
 * Link events and terminate end events: EXPECTATIONS.md entries 45–48, from
 * Camunda 7's own tests. A receive task without a message is a plain wait
 * state there, resumed by `trigger`.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { start } from './harness/world.js';

describe('Camunda 7 corpus: links and terminate end events', () => {
  expectation(45, 'LinkEventTest.testValidEventLink — link throw and catch pairs lead from wait state to wait state', async () => {
    const run = await start('camunda7/LinkEventTest.testValidEventLink.bpmn20.xml');
    expect(run.active()).toEqual(['waitAfterLink1']);
    run.trigger('waitAfterLink1');
    expect(run.active()).toEqual(['waitAfterLink2']);
    run.trigger('waitAfterLink2');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(46, 'LinkEventTest.testEventLinkMultipleSources — two link throws of one name reach the one catch twice', async () => {
    const run = await start('camunda7/LinkEventTest.testEventLinkMultipleSources.bpmn20.xml');
    expect(run.active()).toEqual(['WaitAfterLink', 'WaitAfterLink']);
  });

  expectation(47, 'TerminateEndEventTest.testProcessTerminate — the terminate end ends the instance with preNormalTerminateTask still open', async () => {
    const run = await start('camunda7/TerminateEndEventTest.testProcessTerminate.bpmn');
    expect(run.taskElements()).toEqual(['preNormalTerminateTask', 'preTerminateTask']);
    run.complete('preTerminateTask');
    expect(run.ended).toBe(true);
    expect(run.terminated('preNormalTerminateTask')).toBe(1);
    expect(run.tasks()).toEqual([]);
  });

  expectation(48, 'TerminateEndEventTest.testTerminateInSubProcess — a terminate end in the sub-process ends only the sub-process', async () => {
    const run = await start('camunda7/TerminateEndEventTest.testTerminateInSubProcess.bpmn');
    expect(run.active()).toEqual(['preNormalEnd']);
    expect(run.taken('SubProcess_1')).toBe(1);
    expect(run.taken('EndEvent_3')).toBe(1);
    run.complete('preNormalEnd');
    expect(run.status).toBe('COMPLETED');
  });
});
