/**
 * What every boundary event that waits does when its event happens: an
 * interrupting one ends the activity it is attached to (and everything
 * inside it) first; then a new token leaves the boundary event in the
 * activity's scope, carrying the event's variables. A non-interrupting one
 * leaves the activity running, with its waits open.
 */
import type { ElementKind, ElementOfKind, FlowElement } from '../../model/types.js';
import type { Behaviour } from './behaviour.js';
import type { PreparedWait } from '../waits/waits.js';
import type { ElementInstance, Variables } from '../types.js';
import type { Run } from '../run.js';

export function boundaryTriggered(run: Run, boundary: FlowElement & { interrupting: boolean }, host: ElementInstance, variables: Variables): void {
  const scope = run.state.elements[host.scopeKey!];
  if (boundary.interrupting) run.terminate(host);
  run.activateTriggered(boundary, scope, variables);
}

type Boundary<K extends ElementKind> = ElementOfKind<K> & { interrupting: boolean };

/**
 * A boundary event that waits (timer, message, signal): its wait is opened
 * on the host as it becomes active (`prepare`); when it happens, the event's
 * variables are the boundary event's result. `happened` runs first (a timer
 * cycle re-arms there).
 */
export function waitingBoundary<K extends ElementKind>(
  prepare: (run: Run, element: Boundary<K>, host: ElementInstance) => PreparedWait,
  happened?: (run: Run, element: Boundary<K>, wait: import('../types.js').WaitRecord) => void,
): Behaviour<K> {
  return {
    waitOn(run, element, host) {
      return prepare(run, element as Boundary<K>, host);
    },
    triggered(run, element, host, wait, variables) {
      happened?.(run, element as Boundary<K>, wait);
      boundaryTriggered(run, element as Boundary<K>, host, variables);
    },
    activate(run, _element, instance) {
      run.complete(instance, { result: run.eventResult(instance) });
    },
  } as Behaviour<K>;
}
