/**
 * Signals: EXPECTATIONS.md entries 28–31, from Camunda 7's own tests. A
 * signal thrown by one instance reaches every instance waiting for it.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { World } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: signals', () => {
  expectation(28, 'SignalEventTests.catchAlertSignal — starting throwSignal ends the instance waiting for "alert"', async () => {
    const world = await World.deploy(file('SignalEventTests.catchAlertSignal'), file('SignalEventTests.throwAlertSignal'));
    const catching = world.start('catchSignal');
    expect(world.subscriptions()).toEqual([expect.objectContaining({ kind: 'signal', name: 'alert' })]);
    const throwing = world.start('throwSignal');
    expect(catching.status).toBe('COMPLETED');
    expect(throwing.status).toBe('COMPLETED');
    expect(world.running()).toEqual([]);
    expect(world.subscriptions()).toEqual([]);
  });

  expectation(29, 'SignalEventTests.catchAlertSignalBoundary — the "alert" thrown by throwSignal cancels task via the boundary', async () => {
    const world = await World.deploy(file('SignalEventTests.catchAlertSignalBoundary'), file('SignalEventTests.throwAlertSignal'));
    const catching = world.start('catchSignal');
    expect(catching.taskElements()).toEqual(['task']);
    world.start('throwSignal');
    expect(catching.terminated('task')).toBe(1);
    expect(catching.status).toBe('COMPLETED');
  });

  expectation(30, 'SignalEventTest.testSignalBoundaryOnSubProcess — "stopSignal" ends the process and cancels the P1D timer', async () => {
    const world = await World.deploy(file('SignalEventTest.testSignalBoundaryOnSubProcess'));
    const run = world.start();
    expect(run.active()).toEqual(['timer', 'waitingsubprocess']);
    world.broadcast('stopSignal');
    expect(run.status).toBe('COMPLETED');
    expect(world.timers()).toEqual([]);
  });

  expectation(31, 'SignalEventTest.testNonInterruptingSignal — "alert" adds "My Second User Task" beside "My User Task"', async () => {
    const world = await World.deploy(file('SignalEventTest.testNonInterruptingSignal'));
    const run = world.start();
    world.broadcast('alert');
    expect(run.tasks()).toEqual(['My Second User Task', 'My User Task']);
    run.complete('My User Task');
    expect(run.tasks()).toEqual(['My Second User Task']);
  });
});
