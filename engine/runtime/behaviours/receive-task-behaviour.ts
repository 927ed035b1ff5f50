import type { Behaviour } from './behaviour.js';
import { prepareMessage } from '../waits/waits.js';
import { catchEvent } from './catch-event.js';

/**
 * Receive task: an activity that waits for its message, as a message catch
 * event does; being an activity it can also carry boundary events, whose
 * waits are opened beside its own. Without a message it just waits, until
 * the TRIGGER command continues it.
 */
export const receiveTaskBehaviour: Behaviour<'receiveTask'> = {
  ...catchEvent<'receiveTask'>((run, element, instance) => (element.message ? prepareMessage(run, element.message, element.id, instance) : null)),
  trigger(run, _element, instance, variables) {
    run.complete(instance, { result: variables });
  },
};
