/**
 * Timers: EXPECTATIONS.md entries 16–21, from Camunda 7's own tests. The
 * harness's clock only moves when a test calls `advance`, which fires every
 * timer then due (Camunda 7's tests move the clock and run the due jobs).
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { World } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: timers', () => {
  expectation(16, 'BoundaryTimerEventTest.testInterruptingTimerDuration — the PT5M timer cancels "First line support"', async () => {
    const world = await World.deploy(file('BoundaryTimerEventTest.testInterruptingTimerDuration'));
    const run = world.start();
    expect(run.tasks()).toEqual(['First line support']);
    world.advance('PT5M');
    expect(run.terminated('firstLineSupport')).toBe(1);
    expect(run.tasks()).toEqual(['Handle escalated issue']);
  });

  expectation(17, 'BoundaryTimerNonInterruptingEventTest.testTimerOnConcurrentTasks — a non-interrupting timer on one of two concurrent tasks', async () => {
    const world = await World.deploy(file('BoundaryTimerNonInterruptingEventTest.testTimerOnConcurrentTasks'));
    const run = world.start();
    expect(run.taskElements()).toEqual(['firstTask', 'secondTask']);
    world.advance('PT1H');
    expect(run.taskElements()).toEqual(['firstTask', 'secondTask', 'timerFiredTask']);
    run.complete('timerFiredTask');
    expect(run.taskElements()).toEqual(['firstTask', 'secondTask']);
    run.complete('firstTask');
    run.complete('secondTask');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(18, 'BoundaryTimerNonInterruptingEventTest.testMultipleTimersOnUserTask — two non-interrupting timers fire at +1h and +2h', async () => {
    const world = await World.deploy(file('BoundaryTimerNonInterruptingEventTest.testMultipleTimersOnUserTask'));
    const run = world.start();
    expect(world.timers()).toHaveLength(2);
    world.advance('PT1H');
    expect(run.tasks()).toEqual(['Escalation Task 1', 'First Task']);
    expect(world.timers()).toHaveLength(1);
    run.complete('Escalation Task 1');
    world.advance('PT1H');
    expect(run.tasks()).toEqual(['Escalation Task 2', 'First Task']);
    expect(world.timers()).toEqual([]);
    run.complete('First Task');
    expect(run.tasks()).toEqual(['Escalation Task 2']);
    run.complete('Escalation Task 2');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(19, 'IntermediateTimerEventTest.testCatchingTimerEvent — the PT5M timer has fired 50 minutes later and the process ended', async () => {
    const world = await World.deploy(file('IntermediateTimerEventTest.testCatchingTimerEvent'));
    const run = world.start();
    expect(world.timers()).toHaveLength(1);
    world.advance('PT50M');
    expect(world.timers()).toEqual([]);
    expect(run.status).toBe('COMPLETED');
  });

  expectation(20, 'StartTimerEventTest.testDurationStartTimerEvent — deploying arms one timer; 5 minutes later one instance waits at "receive"', async () => {
    const world = await World.deploy(file('StartTimerEventTest.testDurationStartTimerEvent'));
    expect(world.timers()).toHaveLength(1);
    expect(world.instances).toEqual([]);
    world.advance('PT5M');
    expect(world.instances.map((i) => i.active())).toEqual([['receive']]);
    expect(world.timers()).toEqual([]);
  });

  expectation(21, 'StartTimerEventTest.testCycleWithLimitStartTimerEvent — R2/PT5M starts exactly two instances', async () => {
    const world = await World.deploy(file('StartTimerEventTest.testCycleWithLimitStartTimerEvent'));
    expect(world.timers()).toHaveLength(1);
    expect(world.instances).toEqual([]);
    world.advance('PT5M');
    expect(world.instances).toHaveLength(1);
    expect(world.timers()).toHaveLength(1);
    world.advance('PT5M');
    expect(world.instances).toHaveLength(2);
    expect(world.timers()).toEqual([]);
  });
});
