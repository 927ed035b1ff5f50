/**
 * Broadcasting a signal, as Weft's I/O layer does: every running instance
 * with an open subscription for it gets it (DELIVER_SIGNAL), and every
 * deployed process with a signal start event of that name starts an
 * instance there. A signal thrown inside an instance (the BROADCAST_SIGNAL
 * effect) has already reached that instance's own catchers in its step, so
 * it goes to every other one.
 */
import type { Variables } from '../../../engine/runtime/types.js';
import { eventStartsOf, fixedName } from './event-starts.js';
import type { Instance } from './instance.js';
import { openWaits, stillOpen } from './waits.js';
import type { World } from './world.js';

export interface Signal {
  name: string;
  signalKey: string;
  variables: Variables;
  /** The instance that threw it, which got it already. */
  thrower?: Instance;
}

export function broadcastSignal(world: World, { name, signalKey, variables, thrower }: Signal): void {
  // The instances waiting when it is broadcast: not the ones it starts, nor those their paths open.
  const waiting = openWaits(world, 'signal').filter(({ instance, wait }) => wait.signalName === name && instance !== thrower);
  const delivered = new Set<Instance>();
  for (const open of waiting) {
    // One command delivers it to all of an instance's subscriptions; one closed meanwhile (by an interrupting catcher elsewhere) gets nothing.
    if (delivered.has(open.instance) || !stillOpen(open)) continue;
    delivered.add(open.instance);
    open.instance.apply({ type: 'DELIVER_SIGNAL', name, signalKey, variables });
  }
  for (const model of world.deployed()) {
    const start = eventStartsOf(model, 'signalStartEvent').find((e) => fixedName(e.signal.name) === name);
    if (start) world.startAt(model.id, start.id, variables);
  }
}
