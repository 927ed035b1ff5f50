import type { Behaviour } from './behaviour.js';
import { openOwnWait, prepareMessage } from '../waits/waits.js';

/**
 * Receive task: an activity that waits for its message, as a message catch
 * event does; being an activity it can also carry boundary events, whose
 * waits are opened beside its own. Without a message it just waits, until
 * the TRIGGER command continues it.
 */
export const receiveTaskBehaviour: Behaviour<'receiveTask'> = {
  activate(run, element, instance) {
    if (element.message) openOwnWait(run, prepareMessage(run, element.message, element.id, instance), instance);
  },
  triggered(run, _element, owner, _wait, variables) {
    run.complete(owner, { result: variables });
  },
  trigger(run, _element, instance, variables) {
    run.complete(instance, { result: variables });
  },
};
