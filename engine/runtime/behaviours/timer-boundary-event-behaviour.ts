import { prepareTimer, rearmCycle } from '../waits/waits.js';
import { waitingBoundary } from './waiting-boundary.js';

/**
 * Timer boundary event. Armed when the activity it is attached to becomes
 * active; interrupting, it ends the activity when due; non-interrupting, it
 * starts a path beside it, and a cycle (`R3/PT1H`) fires again while the
 * activity is still active.
 */
export const timerBoundaryEventBehaviour = waitingBoundary<'timerBoundaryEvent'>(
  (run, element, host) => prepareTimer(run, element.timer, element.id, host, element.interrupting),
  (run, element, wait) => {
    if (!element.interrupting) rearmCycle(run, wait);
  },
);
