import { catchEvent } from './catch-event.js';
import { prepareTimer } from '../waits/waits.js';

/**
 * Intermediate timer catch event: the token waits until the timer is due
 * (evaluated on arrival; a timer that does not evaluate is an incident), then
 * moves on. The timer sweep fires it (FIRE_TIMER).
 */
export const timerCatchEventBehaviour = catchEvent<'timerCatchEvent'>((run, element, instance) => prepareTimer(run, element.timer, element.id, instance));
