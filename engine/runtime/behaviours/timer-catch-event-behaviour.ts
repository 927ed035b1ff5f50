import type { Behaviour } from './behaviour.js';
import { openOwnWait, prepareTimer } from '../waits/waits.js';

/**
 * Intermediate timer catch event: the token waits until the timer is due
 * (evaluated on arrival; a timer that does not evaluate is an incident), then
 * moves on. The timer sweep fires it (FIRE_TIMER).
 */
export const timerCatchEventBehaviour: Behaviour<'timerCatchEvent'> = {
  activate(run, element, instance) {
    openOwnWait(run, prepareTimer(run, element.timer, element.id, instance), instance);
  },
  triggered(run, _element, owner) {
    run.complete(owner);
  },
};
