import type { Behaviour } from './behaviour.js';
import { throwEscalation } from '../escalation-catching.js';

/**
 * Escalation throw and end events: raise the escalation to the nearest
 * catcher up the scope chain. An interrupting catcher ends the scope the
 * thrower is in; otherwise (a non-interrupting catcher, or none: an uncaught
 * escalation is recorded and the flow goes on, as BPMN says) the token
 * continues — an end event's then ends.
 */
export const escalationThrowEventBehaviour: Behaviour<'escalationThrowEvent'> = {
  activate(run, element, instance) {
    if (throwEscalation(run, instance, element.escalationCode) === 'interrupted') return;
    run.complete(instance);
  },
};

export const escalationEndEventBehaviour: Behaviour<'escalationEndEvent'> = {
  activate(run, element, instance) {
    if (throwEscalation(run, instance, element.escalationCode) === 'interrupted') return;
    run.complete(instance);
  },
};

/** Escalation boundary event: activated by escalation-catching.ts in the host's scope; passes the token on. */
export const escalationBoundaryEventBehaviour: Behaviour<'escalationBoundaryEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance);
  },
};
