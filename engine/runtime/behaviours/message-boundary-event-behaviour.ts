import type { Behaviour } from './behaviour.js';
import { prepareMessage } from '../waits/waits.js';
import { boundaryTriggered } from './waiting-boundary.js';

/**
 * Message boundary event. Subscribed when the activity it is attached to
 * becomes active; a correlated message's variables are the boundary event's
 * result. A non-interrupting one stays subscribed: each matching message
 * starts another path while the activity runs.
 */
export const messageBoundaryEventBehaviour: Behaviour<'messageBoundaryEvent'> = {
  waitOn(run, element, host) {
    return prepareMessage(run, element.message, element.id, host, element.interrupting);
  },
  triggered(run, element, host, _wait, variables) {
    boundaryTriggered(run, element, host, variables);
  },
  activate(run, _element, instance) {
    run.complete(instance, { result: run.eventResult(instance) });
  },
};
