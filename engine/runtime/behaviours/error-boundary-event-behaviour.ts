import type { Behaviour } from './behaviour.js';

/**
 * Interrupting error boundary event. It is never entered by a sequence flow:
 * error-catching.ts activates it in the host's scope after terminating the
 * host, with the error's variables already set; it then passes the token on.
 */
export const errorBoundaryEventBehaviour: Behaviour<'errorBoundaryEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance);
  },
};
