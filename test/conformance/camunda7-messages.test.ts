/**
 * Messages: EXPECTATIONS.md entries 22–27, from Camunda 7's own tests. Those
 * tests deliver a message to one execution (`messageEventReceived`); the
 * harness does the same with `deliverMessage(name, { to: instance })`, since
 * the files carry no correlation keys.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { World } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: messages', () => {
  expectation(22, 'MessageIntermediateEventTest.testSingleIntermediateMessageEvent — delivering "newInvoiceMessage" creates task', async () => {
    const world = await World.deploy(file('MessageIntermediateEventTest.testSingleIntermediateMessageEvent'));
    const run = world.start();
    expect(run.active()).toEqual(['messageCatch']);
    expect(world.subscriptions()).toEqual([expect.objectContaining({ kind: 'message', name: 'newInvoiceMessage', elementId: 'messageCatch' })]);
    world.deliverMessage('newInvoiceMessage', { to: run });
    expect(run.taskElements()).toEqual(['task']);
  });

  expectation(23, 'MessageBoundaryEventTest.testSingleBoundaryMessageEvent — the message interrupts task; completing task removes the subscription', async () => {
    // (a) the message arrives first
    const a = await World.deploy(file('MessageBoundaryEventTest.testSingleBoundaryMessageEvent'));
    const interrupted = a.start();
    a.deliverMessage('messageName', { to: interrupted });
    expect(interrupted.terminated('task')).toBe(1);
    expect(interrupted.taskElements()).toEqual(['taskAfterMessage']);
    interrupted.complete('taskAfterMessage');
    expect(interrupted.status).toBe('COMPLETED');
    // (b) the task is completed first
    const b = await World.deploy(file('MessageBoundaryEventTest.testSingleBoundaryMessageEvent'));
    const normal = b.start();
    normal.complete('task');
    expect(b.subscriptions()).toEqual([]);
    expect(normal.taskElements()).toEqual(['taskAfterTask']);
    normal.complete('taskAfterTask');
    expect(normal.status).toBe('COMPLETED');
  });

  expectation(24, 'MessageNonInterruptingBoundaryEventTest.testNonInterruptingEventInCombinationWithUserTask — a terminate end inside the sub-process ends only the sub-process', async () => {
    const world = await World.deploy(file('MessageNonInterruptingBoundaryEventTest.testNonInterruptingEventInCombinationWithUserTask'));
    const run = world.start();
    world.deliverMessage('firstMessage', { to: run });
    expect(run.taskElements()).toEqual(['innerTask', 'task1']);
    run.complete('innerTask');
    expect(run.taskElements()).toEqual(['task1', 'task2']);
    expect(world.subscriptions()).toEqual([]);
    run.complete('task1');
    run.complete('task2');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(25, 'MessageStartEventTest.testMultipleMessageStartEvents — each message starts at its own start event; no message, no start', async () => {
    const world = await World.deploy(file('MessageStartEventTest.testMultipleMessageStartEvents'));
    const first = world.startByMessage('newInvoiceMessage');
    expect(first.taskElements()).toEqual(['taskAfterMessageStart']);
    first.complete('taskAfterMessageStart');
    expect(first.status).toBe('COMPLETED');
    const second = world.startByMessage('newInvoiceMessage2');
    expect(second.taskElements()).toEqual(['taskAfterMessageStart2']);
    second.complete('taskAfterMessageStart2');
    expect(second.status).toBe('COMPLETED');
    expect(() => world.start('testProcess')).toThrow(/start/i);
  });

  expectation(26, 'MessageEventSubprocessTest.testInterruptingUnderProcessDefinition — "newMessage" interrupts task through the event sub-process', async () => {
    // (a) no message: completing task ends the process and its subscription
    const a = await World.deploy(file('MessageEventSubprocessTest.testInterruptingUnderProcessDefinition'));
    const plain = a.start();
    plain.complete('task');
    expect(plain.status).toBe('COMPLETED');
    expect(a.subscriptions()).toEqual([]);
    // (b) the message interrupts
    const b = await World.deploy(file('MessageEventSubprocessTest.testInterruptingUnderProcessDefinition'));
    const run = b.start();
    b.deliverMessage('newMessage', { to: run });
    expect(run.terminated('task')).toBe(1);
    expect(run.taskElements()).toEqual(['eventSubProcessTask']);
    run.complete('eventSubProcessTask');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(27, 'MessageEventSubprocessTest.testNonInterruptingUnderProcessDefinition — "newMessage" adds eventSubProcessTask; the process ends after both', async () => {
    for (const order of [['task', 'eventSubProcessTask'], ['eventSubProcessTask', 'task']]) {
      const world = await World.deploy(file('MessageEventSubprocessTest.testNonInterruptingUnderProcessDefinition'));
      const run = world.start();
      world.deliverMessage('newMessage', { to: run });
      expect(run.taskElements()).toEqual(['eventSubProcessTask', 'task']);
      run.complete(order[0]);
      expect(run.ended).toBe(false);
      run.complete(order[1]);
      expect(run.status).toBe('COMPLETED');
    }
  });
});
