import type { Behaviour } from './behaviour.js';
import { findErrorCatcher } from '../error-catching.js';

/**
 * Error end event: throws its BPMN error. The nearest catcher up the scope
 * chain (an error boundary event on an enclosing sub-process) ends that
 * scope and takes over; with none, an incident holds the token here (as in
 * Camunda 8), naming the code.
 */
export const errorEndEventBehaviour: Behaviour<'errorEndEvent'> = {
  activate(run, element, instance) {
    const catcher = findErrorCatcher(run, instance, element.errorCode);
    if (catcher) return catcher.catch({});
    run.openIncident(instance, {
      type: 'UNHANDLED_BPMN_ERROR',
      message: `BPMN error '${element.errorCode}' was thrown by end event '${element.id}' and nothing catches it`,
      retry: 'activate',
    });
  },
};
