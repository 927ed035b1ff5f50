import { catchEvent } from './catch-event.js';
import { prepareMessage } from '../waits/waits.js';

/**
 * Intermediate message catch event: on arrival it subscribes to its message
 * (name and correlation key evaluated here), and the token waits until a
 * published message matches; the message's variables are its result (output
 * mappings apply, else they propagate to the scope).
 */
export const messageCatchEventBehaviour = catchEvent<'messageCatchEvent'>((run, element, instance) => prepareMessage(run, element.message, element.id, instance));
