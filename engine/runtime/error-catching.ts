/**
 * Where a thrown BPMN error is caught: the one place that walks the scope
 * chain looking for a catcher. From the throwing activity outwards through
 * each enclosing sub-process, the first activity with an error boundary
 * event for the code catches it; at each level a boundary event naming the
 * exact code wins over a catch-all (one without an error code), as in Zeebe.
 * Error event sub-processes are not executable yet. No catcher: the caller
 * opens an incident.
 */
import type { ErrorBoundaryEventElement } from '../model/types.js';
import type { ElementInstance, Variables } from './types.js';
import type { Run } from './run.js';

export interface ErrorCatcher {
  /** Terminates the interrupted activity (and everything inside it) and takes the boundary event's path. */
  catch(variables: Variables): void;
}

export function findErrorCatcher(run: Run, thrower: ElementInstance, errorCode: string): ErrorCatcher | null {
  const boundaries = Object.values(run.definition.elements).filter((e): e is ErrorBoundaryEventElement => e.kind === 'errorBoundaryEvent');
  if (boundaries.length === 0) return null;
  let current: ElementInstance | undefined = thrower;
  while (current && current.scopeKey !== null) {
    const attached = boundaries.filter((b) => b.attachedTo === current!.elementId);
    const boundary = attached.find((b) => b.errorCode === errorCode) ?? attached.find((b) => b.errorCode === undefined);
    if (boundary) return catcher(run, current, boundary, errorCode);
    current = run.state.elements[current.scopeKey];
  }
  return null;
}

function catcher(run: Run, host: ElementInstance, boundary: ErrorBoundaryEventElement, errorCode: string): ErrorCatcher {
  return {
    catch(variables) {
      const scope = run.state.elements[host.scopeKey!];
      run.terminate(host);
      run.emit({ type: 'AUDIT', event: { type: 'ERROR_CAUGHT', elementId: boundary.id, payload: { errorCode, attachedTo: host.elementId, interruptedKey: host.key } } });
      run.setVariables(scope.key, variables);
      run.activateElement(boundary, scope);
    },
  };
}
