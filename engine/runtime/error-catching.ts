/**
 * Where a thrown BPMN error is caught: the one place that walks the scope
 * chain looking for a catcher. From the throwing element outwards, at each
 * enclosing scope first its error event sub-processes, then the error
 * boundary events of the scope's own activity (the thrower's own boundary
 * events come first of all); at each place one naming the exact code wins
 * over a catch-all (one without an error code), as in Zeebe. No catcher: the
 * caller opens an incident.
 */
import type { ErrorBoundaryEventElement, EventSubProcessElement } from '../model/types.js';
import type { ElementInstance, Variables } from './types.js';
import type { Run } from './run.js';
import { eventSubProcessFor, startEventSubProcess } from './event-sub-processes.js';

export interface ErrorCatcher {
  /** Ends what the error interrupts (and everything inside it) and starts the catcher's path. */
  catch(variables: Variables): void;
}

export function findErrorCatcher(run: Run, thrower: ElementInstance, errorCode: string): ErrorCatcher | null {
  const boundaries = Object.values(run.definition.elements).filter((e): e is ErrorBoundaryEventElement => e.kind === 'errorBoundaryEvent');
  let current: ElementInstance | undefined = thrower;
  while (current) {
    if (current !== thrower && !current.loop) {
      const esp = eventSubProcessFor(run, current, 'errorStartEvent', errorCode);
      if (esp) return eventSubProcessCatcher(run, current, esp, errorCode);
    }
    if (current.scopeKey === null) return null;
    // One run of a repeating activity: its body, next in the chain, holds the boundary events.
    const attached = run.isRun(current) ? [] : boundaries.filter((b) => b.attachedTo === current!.elementId);
    const boundary = attached.find((b) => b.errorCode === errorCode) ?? attached.find((b) => b.errorCode === undefined);
    if (boundary) return boundaryCatcher(run, current, boundary, errorCode);
    current = run.state.elements[current.scopeKey];
  }
  return null;
}

function boundaryCatcher(run: Run, host: ElementInstance, boundary: ErrorBoundaryEventElement, errorCode: string): ErrorCatcher {
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

function eventSubProcessCatcher(run: Run, scope: ElementInstance, esp: EventSubProcessElement, errorCode: string): ErrorCatcher {
  return {
    catch(variables) {
      run.emit({ type: 'AUDIT', event: { type: 'ERROR_CAUGHT', elementId: esp.startEventId, payload: { errorCode, eventSubProcess: esp.id, scopeKey: scope.key } } });
      startEventSubProcess(run, esp, scope, variables);
    },
  };
}

/**
 * An error nothing in this instance catches, in an instance started by a call
 * activity: the instance ends (TERMINATED) and the error goes to the parent's
 * call activity, which throws it on there. False when there is no parent.
 */
export function propagateToParent(run: Run, errorCode: string, errorMessage: string | undefined, variables: Variables): boolean {
  const parent = run.state.parent;
  if (!parent) return false;
  const root = run.state.elements[run.state.id];
  run.terminate(root);
  run.endInstance('TERMINATED', { notifyParent: false });
  const outcome = { type: 'error' as const, errorCode, variables, ...(errorMessage !== undefined ? { errorMessage } : {}) };
  run.emit({ type: 'NOTIFY_PARENT', parent, outcome });
  return true;
}

/**
 * Throws a BPMN error from `thrower`: the nearest catcher takes it; else the
 * parent instance's call activity does; else an incident holds `thrower`,
 * naming the code (`detail` says where it came from).
 */
export function throwOrOpenIncident(run: Run, thrower: ElementInstance, errorCode: string, errorMessage: string | undefined, variables: Variables, detail: string): void {
  const catcher = findErrorCatcher(run, thrower, errorCode);
  if (catcher) return catcher.catch(variables);
  if (propagateToParent(run, errorCode, errorMessage, variables)) return;
  const message = errorMessage ? `: ${errorMessage}` : '';
  run.openIncident(thrower, { type: 'UNHANDLED_BPMN_ERROR', message: `BPMN error '${errorCode}' was ${detail} and nothing catches it${message}`, retry: 'activate' });
}
