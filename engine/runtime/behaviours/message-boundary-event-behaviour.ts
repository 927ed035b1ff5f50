import { prepareMessage } from '../waits/waits.js';
import { waitingBoundary } from './waiting-boundary.js';

/**
 * Message boundary event. Subscribed when the activity it is attached to
 * becomes active; a correlated message's variables are the boundary event's
 * result. A non-interrupting one stays subscribed: each matching message
 * starts another path while the activity runs.
 */
export const messageBoundaryEventBehaviour = waitingBoundary<'messageBoundaryEvent'>((run, element, host) =>
  prepareMessage(run, element.message, element.id, host, element.interrupting),
);
