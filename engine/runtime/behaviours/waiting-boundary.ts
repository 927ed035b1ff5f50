/**
 * What every boundary event that waits does when its event happens: an
 * interrupting one ends the activity it is attached to (and everything
 * inside it) first; then a new token leaves the boundary event in the
 * activity's scope, carrying the event's variables. A non-interrupting one
 * leaves the activity running, with its waits open.
 */
import type { FlowElement } from '../../model/types.js';
import type { ElementInstance, Variables } from '../types.js';
import type { Run } from '../run.js';

export function boundaryTriggered(run: Run, boundary: FlowElement & { interrupting: boolean }, host: ElementInstance, variables: Variables): void {
  const scope = run.state.elements[host.scopeKey!];
  if (boundary.interrupting) run.terminate(host);
  run.activateTriggered(boundary, scope, variables);
}
