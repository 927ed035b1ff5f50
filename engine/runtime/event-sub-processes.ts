/**
 * Starting an event sub-process when its start event's event happens in the
 * scope that encloses it (`container`: the process or a sub-process
 * instance). Interrupting, everything else in the scope ends first and the
 * scope's other event sub-process waits are withdrawn; non-interrupting, it
 * runs beside the rest, and its wait stays open (a message) or re-arms (a
 * timer cycle) for the next occurrence. The event's variables are the start
 * event's result.
 */
import type { EventSubProcessElement, FlowElement } from '../model/types.js';
import type { ElementInstance, Variables } from './types.js';
import type { Run } from './run.js';
import { closeWaitsOf } from './waits/waits.js';

export function startEventSubProcess(run: Run, esp: EventSubProcessElement, container: ElementInstance, variables: Variables): void {
  if (esp.interrupting) {
    const containerElement = run.element(container.elementId) as FlowElement & { eventSubProcesses?: string[] };
    const starts = new Set((containerElement.eventSubProcesses ?? []).map((id) => (run.element(id) as EventSubProcessElement).startEventId));
    closeWaitsOf(run, container, (wait) => starts.has(wait.elementId));
    run.terminateChildren(container);
  }
  run.audit('EVENT_SUB_PROCESS_TRIGGERED', container, { eventSubProcess: esp.id, interrupting: esp.interrupting });
  const instance = run.activateTriggered(esp, container, {});
  run.happenedBeforeArrival(esp.startEventId, instance.key, variables);
}

/** The event sub-processes of `container` whose start event is of `kind` and matches `code` (exact first, then catch-all). */
export function eventSubProcessFor(run: Run, container: ElementInstance, kind: 'errorStartEvent' | 'escalationStartEvent', code: string): EventSubProcessElement | undefined {
  const element = run.element(container.elementId) as FlowElement & { eventSubProcesses?: string[] };
  const candidates = (element.eventSubProcesses ?? [])
    .map((id) => run.element(id) as EventSubProcessElement)
    .map((esp) => ({ esp, start: run.element(esp.startEventId) }))
    .filter(({ start }) => start.kind === kind);
  const codeOf = (start: FlowElement) => (start.kind === 'errorStartEvent' ? start.errorCode : start.kind === 'escalationStartEvent' ? start.escalationCode : undefined);
  return (candidates.find(({ start }) => codeOf(start) === code) ?? candidates.find(({ start }) => codeOf(start) === undefined))?.esp;
}
