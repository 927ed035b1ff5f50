import type { Behaviour } from './behaviour.js';
import { openWait, prepareTimer } from '../waits/waits.js';
import { nextOccurrence } from '../waits/timer-schedule.js';
import { boundaryTriggered } from './waiting-boundary.js';

/**
 * Timer boundary event. Armed when the activity it is attached to becomes
 * active; interrupting, it ends the activity when due; non-interrupting, it
 * starts a path beside it, and a cycle (`R3/PT1H`) fires again while the
 * activity is still active.
 */
export const timerBoundaryEventBehaviour: Behaviour<'timerBoundaryEvent'> = {
  waitOn(run, element, host) {
    return prepareTimer(run, element.timer, element.id, host, element.interrupting);
  },
  triggered(run, element, host, wait) {
    if (!element.interrupting && wait.repeat) {
      const next = nextOccurrence(wait.repeat, wait.dueAt!, run.ctx.now);
      if (next) openWait(run, { ...wait, id: run.ctx.newId(), dueAt: next.dueAt, repeat: next.repeat });
    }
    boundaryTriggered(run, element, host, {});
  },
  activate(run, _element, instance) {
    run.complete(instance);
  },
};
