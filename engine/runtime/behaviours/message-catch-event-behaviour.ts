import type { Behaviour } from './behaviour.js';
import { openOwnWait, prepareMessage } from '../waits/waits.js';

/**
 * Intermediate message catch event: on arrival it subscribes to its message
 * (name and correlation key evaluated here), and the token waits until a
 * published message matches; the message's variables are its result (output
 * mappings apply, else they propagate to the scope). After an event-based
 * gateway whose message won, it completes at once with that message.
 */
export const messageCatchEventBehaviour: Behaviour<'messageCatchEvent'> = {
  activate(run, element, instance) {
    const happened = run.happenedEvent(instance);
    if (happened) return run.complete(instance, { result: happened });
    openOwnWait(run, prepareMessage(run, element.message, element.id, instance), instance);
  },
  triggered(run, _element, owner, _wait, variables) {
    run.complete(owner, { result: variables });
  },
};
