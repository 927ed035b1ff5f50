import type { Behaviour } from './behaviour.js';
import { throwOrOpenIncident } from '../error-catching.js';

/**
 * Error end event: throws its BPMN error. The nearest catcher up the scope
 * chain (an error boundary event or error event sub-process) ends that scope
 * and takes over; with none, the call activity that started this instance
 * throws it on; with none, an incident holds the token here (as in Camunda
 * 8), naming the code.
 */
export const errorEndEventBehaviour: Behaviour<'errorEndEvent'> = {
  activate(run, element, instance) {
    throwOrOpenIncident(run, instance, element.errorCode, undefined, {}, `thrown by end event '${element.id}'`);
  },
};
