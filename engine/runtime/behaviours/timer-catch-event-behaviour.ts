import type { Behaviour } from './behaviour.js';
import { openOwnWait, prepareTimer } from '../waits/waits.js';

/**
 * Intermediate timer catch event: the token waits until the timer is due
 * (evaluated on arrival; a timer that does not evaluate is an incident), then
 * moves on. The timer sweep fires it (FIRE_TIMER). After an event-based
 * gateway whose timer won, it passes at once.
 */
export const timerCatchEventBehaviour: Behaviour<'timerCatchEvent'> = {
  activate(run, element, instance) {
    if (run.happenedEvent(instance)) return run.complete(instance);
    openOwnWait(run, prepareTimer(run, element.timer, element.id, instance), instance);
  },
  triggered(run, _element, owner) {
    run.complete(owner);
  },
};
