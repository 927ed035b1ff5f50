import type { EventSubProcessElement } from '../../model/types.js';
import type { Behaviour } from './behaviour.js';
import { prepareSignal } from '../waits/waits.js';
import { catchEvent } from './catch-event.js';
import { waitingBoundary } from './waiting-boundary.js';
import { broadcastSignal } from '../signals.js';
import { startEventSubProcess } from '../event-sub-processes.js';

/**
 * Signal events. A signal is broadcast: every catcher waiting for its name
 * gets it — catch events, boundary events, event sub-process starts, in this
 * instance (within the step that throws it) and in every other, and each
 * signal start event starts an instance.
 */
export const signalCatchEventBehaviour = catchEvent<'signalCatchEvent'>((run, element, instance) => prepareSignal(run, element.signal, element.id, instance));

/** Interrupting: ends the activity; non-interrupting: stays subscribed while the activity runs, for every broadcast. */
export const signalBoundaryEventBehaviour = waitingBoundary<'signalBoundaryEvent'>((run, element, host) =>
  prepareSignal(run, element.signal, element.id, host, element.interrupting),
);

/** Top of a process: where a broadcast's new instance begins. In an event sub-process: waits while its scope is active. */
export const signalStartEventBehaviour: Behaviour<'signalStartEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance, { result: run.happenedEvent(instance) ?? {} });
  },
  waitOn(run, element, scope) {
    return prepareSignal(run, element.signal, element.id, scope, element.interrupting !== false);
  },
  triggered(run, element, scope, _wait, variables) {
    startEventSubProcess(run, run.element(element.parent) as EventSubProcessElement, scope, variables);
  },
};

/** Throw and end events broadcast; the thrower then goes on (or ends), unless its own signal ended its scope. */
export const signalThrowEventBehaviour: Behaviour<'signalThrowEvent'> = {
  activate(run, element, instance) {
    if (broadcastSignal(run, element.signal, instance) === 'interrupted') return;
    run.complete(instance);
  },
};

export const signalEndEventBehaviour: Behaviour<'signalEndEvent'> = {
  activate(run, element, instance) {
    if (broadcastSignal(run, element.signal, instance) === 'interrupted') return;
    run.complete(instance);
  },
};
