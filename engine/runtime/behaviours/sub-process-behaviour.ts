import type { Behaviour } from './behaviour.js';

/**
 * Embedded sub-process: a scope of its own (local variables live here until
 * output mappings carry them out); completes when its last token ends.
 */
export const subProcessBehaviour: Behaviour<'subProcess'> = {
  activate(run, element, instance) {
    instance.variables ??= {};
    run.send(element.startEventId, instance.key);
  },
  scopeEmpty(run, _element, instance) {
    run.complete(instance);
  },
};
