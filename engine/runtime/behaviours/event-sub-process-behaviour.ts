import type { Behaviour } from './behaviour.js';

/**
 * Event sub-process, once started by its event (event-sub-processes.ts): a
 * scope like a sub-process, whose token begins at its start event; it
 * completes when its last token ends, and the enclosing scope goes on (or,
 * after an interrupting one, completes).
 */
export const eventSubProcessBehaviour: Behaviour<'eventSubProcess'> = {
  activate(run, element, instance) {
    instance.variables ??= {};
    run.send(element.startEventId, instance.key);
  },
  scopeEmpty(run, _element, instance) {
    run.complete(instance);
  },
};
