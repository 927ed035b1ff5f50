/**
 * What the instances wait for outside themselves, read from their state
 * (`state.waits`) as the I/O layer's tables project it: open message and
 * signal subscriptions and timers, oldest first. The world remembers the
 * order waits were opened in (as the tables' rows do), since correlation
 * gives a message to the oldest subscription.
 */
import type { CompensableRecord, WaitRecord } from '../../../engine/runtime/types.js';
import type { Instance } from './instance.js';
import type { World } from './world.js';

/**
 * A subscription: an event waiting for message or signal `name`, or a
 * compensation handler (`elementId`, as Camunda 7's compensate event
 * subscriptions name it) waiting for the activity `name` that completed to
 * be compensated.
 */
export interface Subscription {
  kind: 'message' | 'signal' | 'compensation';
  name: string;
  elementId: string;
  processId: string;
}

/** A timer waiting to fire (on a timer event, or a timer start event). */
export interface Timer {
  elementId: string;
  processId: string;
  dueAt: string;
}

export interface OpenWait {
  instance: Instance;
  wait: WaitRecord;
}

/** The open waits of `type` of every running instance, in the order they were opened. */
export function openWaits(world: World, type: WaitRecord['type']): OpenWait[] {
  return world
    .running()
    .flatMap((instance) => Object.values(instance.state.waits ?? {}).map((wait) => ({ instance, wait })))
    .filter(({ wait }) => wait.type === type)
    .sort((a, b) => world.openedAt(a.wait.id) - world.openedAt(b.wait.id));
}

/** The wait is still open on its running instance (an earlier delivery may have closed it, or ended the instance). */
export function stillOpen({ instance, wait }: OpenWait): boolean {
  return !instance.ended && instance.state.waits?.[wait.id] !== undefined;
}

/**
 * Open message and signal subscriptions of the running instances, then
 * their compensation subscriptions: one per completed run of an activity
 * with a compensation handler, still recorded in a live scope (also inside a
 * completed sub-process or loop body that scope recorded). Start events are
 * not listed: they are the deployed processes', not subscriptions of an
 * instance.
 */
export function subscriptions(world: World): Subscription[] {
  const waiting = [...openWaits(world, 'message'), ...openWaits(world, 'signal')].map(({ instance, wait }) => ({
    kind: wait.type as 'message' | 'signal',
    name: (wait.type === 'message' ? wait.messageName : wait.signalName) ?? '',
    elementId: wait.elementId,
    processId: instance.processId,
  }));
  const compensation = world.running().flatMap((instance) =>
    Object.values(instance.state.elements)
      .flatMap((scope) => handlersOf(scope.compensable ?? []))
      .map((record) => ({ kind: 'compensation' as const, name: record.elementId, elementId: record.handlerId!, processId: instance.processId })),
  );
  return [...waiting, ...compensation];
}

/** The records with a handler, nested ones included. */
function handlersOf(records: CompensableRecord[]): CompensableRecord[] {
  return records.flatMap((r) => [...(r.handlerId ? [r] : []), ...handlersOf(r.nested ?? [])]);
}

/** Open timers of the running instances, then the armed timer start events. */
export function timers(world: World): Timer[] {
  const waiting = openWaits(world, 'timer').map(({ instance, wait }) => ({ elementId: wait.elementId, processId: instance.processId, dueAt: wait.dueAt! }));
  const starts = world.startTimers.map(({ elementId, processId, dueAt }) => ({ elementId, processId, dueAt }));
  return [...waiting, ...starts];
}
