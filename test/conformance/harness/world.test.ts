/**
 * The world plays Weft's I/O layer around the step function; what it does
 * decides whether a corpus test passes, so its rules are pinned here with a
 * diagram of its own (fixtures/world-events.bpmn): a message goes to one
 * subscription per process, the oldest, else to a message start event; a
 * signal to every waiting instance but its thrower, and to signal start
 * events; timers fire when the clock passes them, cycles again. Call
 * activities have diagrams of their own (fixtures/world-calls*.bpmn): the
 * child is started by its binding, its end comes back to the parent, ending
 * the call activity early cancels it.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import type { ExecutableProcess } from '../../../engine/model/types.js';
import { World } from './world.js';

const xml = readFileSync(new URL('./fixtures/world-events.bpmn', import.meta.url), 'utf8');

describe('conformance harness: the world around the step function', () => {
  let world: World;
  beforeEach(async () => {
    const { processes, problems } = await compile(xml, 'world-events.bpmn');
    expect(problems).toEqual([]);
    world = World.of(...processes);
  });

  it('a message goes to the oldest matching subscription of each process, by name and correlation key', () => {
    // given
    const [first, second] = [world.start('waiter', { key: 'a' }), world.start('waiter', { key: 'a' })];
    const other = world.start('waiter', { key: 'b' });
    const listening = world.start('listener', { key: 'a' });
    // when
    world.deliverMessage('reply', { correlationKey: 'a', to: first });
    // then
    expect([first.status, second.status, other.status, listening.status]).toEqual(['COMPLETED', 'ACTIVE', 'ACTIVE', 'COMPLETED']);
    world.deliverMessage('reply', { correlationKey: 'a', to: second });
    expect(second.status).toBe('COMPLETED');
    expect(() => world.deliverMessage('reply', { correlationKey: 'a' })).toThrow(/nothing waits/);
    expect(() => world.deliverMessage('reply', { correlationKey: 'b', to: first })).toThrow(/meant for/);
  });

  it('a message starts a process at its message start event only when no subscription of that process took it', () => {
    // when
    const greeter = world.startByMessage('hello');
    // then: the new instance waits for the next "hello", which it takes instead of a new start
    expect(world.subscriptions()).toEqual([{ kind: 'message', name: 'hello', elementId: 'wait-hello', processId: 'greeter' }]);
    world.deliverMessage('hello', { to: greeter });
    expect(greeter.status).toBe('COMPLETED');
    expect(world.instances).toHaveLength(1);
  });

  it('a broadcast signal reaches every waiting instance and starts the signal start events', () => {
    // given
    const runners = [world.start('runner'), world.start('runner')];
    // when
    world.broadcast('go');
    // then
    expect(runners.map((r) => r.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(world.tasks()).toEqual(['starter: started']);
  });

  it('a signal thrown in an instance goes to the others and to the signal start events, not back to its thrower', () => {
    // given
    const runner = world.start('runner');
    // when
    const thrower = world.start('thrower');
    // then
    expect(runner.status).toBe('COMPLETED');
    expect(thrower.active()).toEqual(['wait-own-go']);
    expect(world.instanceOf('starter').taskElements()).toEqual(['started']);
  });

  it('a timer start event is armed at deploy and starts an instance at each due occurrence of its cycle', () => {
    // given
    expect(world.timers()).toEqual([{ elementId: 'tick', processId: 'ticker', dueAt: '2026-11-25T12:01:00.000Z' }]);
    // when: the clock passes both occurrences at once
    world.advance('PT10M');
    // then
    expect(world.instances.map((i) => i.processId)).toEqual(['ticker', 'ticker']);
    expect(world.timers()).toEqual([]);
  });
});

async function compiled(name: string): Promise<ExecutableProcess[]> {
  const { processes, problems } = await compile(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'), name);
  expect(problems).toEqual([]);
  return processes;
}

describe('conformance harness: call activities in the world', () => {
  let world: World;
  beforeEach(async () => {
    world = World.of(...(await compiled('world-calls.bpmn')));
  });

  it('a call activity starts its called process with its input mappings; the child\'s end completes it through its output mappings', () => {
    // given
    const order = world.start('order', { amount: 10, approvalProcess: 'approval' });
    const child = world.instanceOf('approval');
    expect(child.variables).toMatchObject({ limit: 20 });
    expect(child.state.parent).toMatchObject({ instanceId: order.state.id, elementId: 'approve' });
    // when
    child.complete('decide', { approved: true, approvedBy: 'ann' });
    // then
    expect(order.status).toBe('COMPLETED');
    expect(order.variables).toEqual({ amount: 10, approvalProcess: 'approval', approver: 'ann' });
  });

  it('a child that ends in its first step completes its call activity', () => {
    // when: the child has the parent's variables, `approvedBy` among them, and hands them back
    const order = world.start('order', { amount: 1, approvalProcess: 'instant', approvedBy: 'auto' });
    // then
    expect(world.instanceOf('instant').status).toBe('COMPLETED');
    expect(order.taken('end')).toBe(1);
    expect(order.variables.approver).toBe('auto');
  });

  it('an error the child does not catch is thrown on at the call activity', () => {
    // given
    const order = world.start('order', { amount: 10, approvalProcess: 'approval' });
    // when
    world.instanceOf('approval').complete('decide', { approved: false });
    // then
    expect(world.instanceOf('approval').status).toBe('TERMINATED');
    expect(order.taken('declined-end')).toBe(1);
    expect(order.status).toBe('COMPLETED');
  });

  it('a call activity ended by its boundary event cancels its child', () => {
    // given
    const order = world.start('order', { amount: 10, approvalProcess: 'approval' });
    // when
    world.advance('P3D');
    // then
    expect(order.taken('long-end')).toBe(1);
    expect(world.instanceOf('approval').status).toBe('CANCELED');
  });

  it('a called process that is not deployed is an incident on the call activity', () => {
    // when
    const order = world.start('order', { amount: 10, approvalProcess: 'nope' });
    // then
    expect(order.incidents()).toEqual(['approve: CALLED_PROCESS_NOT_FOUND']);
    expect(world.instances).toHaveLength(1);
  });

  it('binding "latest" calls the newest version of the process; "deployment" the one deployed with the caller', async () => {
    // given: a second version of `approval`, deployed later on its own
    world.add(...(await compiled('world-calls-v2.bpmn')));
    // when
    world.start('order', { amount: 10, approvalProcess: 'approval' });
    world.start('pinned');
    // then
    expect(world.tasks()).toEqual(['approval: decide', 'approval: decide-v2']);
    expect(world.instances.filter((i) => i.processId === 'approval').map((i) => [i.state.parent?.processId, i.taskElements()])).toEqual([
      ['order', ['decide-v2']],
      ['pinned', ['decide']],
    ]);
  });
});
