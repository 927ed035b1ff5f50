/**
 * Publishing a message, with the correlation rules of Weft's I/O layer: a
 * message (name, correlation key, variables) goes to the open subscriptions
 * with that name and key, at most one per process (BPMN id), the oldest
 * first; every deployed process none of whose subscriptions took it and
 * that has a message start event of that name starts an instance there.
 */
import type { Variables } from '../../../engine/runtime/types.js';
import { eventStartsOf, fixedName } from './event-starts.js';
import type { Instance } from './instance.js';
import { openWaits, stillOpen } from './waits.js';
import type { World } from './world.js';

export interface Message {
  name: string;
  /** '' (the default) matches subscriptions without a correlation key. */
  correlationKey?: string;
  variables?: Variables;
}

export interface Published {
  /** Instances one of whose subscriptions took the message. */
  correlated: Instance[];
  /** Instances the message started. */
  started: Instance[];
}

export function publishMessage(world: World, { name, correlationKey = '', variables = {} }: Message): Published {
  const messageKey = world.newKey('message');
  const published: Published = { correlated: [], started: [] };
  const took = new Set<string>();
  for (const open of openWaits(world, 'message')) {
    const { instance, wait } = open;
    if (wait.messageName !== name || wait.correlationKey !== correlationKey || took.has(instance.processId)) continue;
    // An earlier correlation of this message may have closed this one (it ended its scope, or its instance).
    if (!stillOpen(open)) continue;
    took.add(instance.processId);
    instance.apply({ type: 'CORRELATE_MESSAGE', subscriptionId: wait.id, messageKey, variables });
    published.correlated.push(instance);
  }
  for (const model of world.deployed()) {
    if (took.has(model.id)) continue;
    const start = eventStartsOf(model, 'messageStartEvent').find((e) => fixedName(e.message.name) === name);
    if (start) published.started.push(world.startAt(model.id, start.id, variables));
  }
  return published;
}
