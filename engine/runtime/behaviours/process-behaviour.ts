import type { Behaviour } from './behaviour.js';
import { transition } from '../lifecycle.js';
import { closeWaits } from '../waits/waits.js';

/** The process itself: the root scope. Its element instance key is the instance id. */
export const processBehaviour: Behaviour<'process'> = {
  activate(run, element, instance) {
    run.send(run.startAt ?? element.startEventId, instance.key);
  },
  scopeEmpty(run, element, instance) {
    // The event sub-processes' waits end with the instance.
    closeWaits(run, instance);
    if (run.terminatedScopes.has(instance.key)) {
      transition(instance, 'TERMINATING');
      transition(instance, 'TERMINATED');
      run.audit('ELEMENT_TERMINATED', instance, { kind: element.kind });
      run.endInstance('TERMINATED');
      return;
    }
    transition(instance, 'COMPLETING');
    transition(instance, 'COMPLETED');
    run.audit('ELEMENT_COMPLETED', instance, { kind: element.kind });
    run.endInstance('COMPLETED');
  },
};
