/**
 * Where a thrown escalation is caught: from the thrower's scope outwards, at
 * each scope first its escalation event sub-processes, then the escalation
 * boundary events of the scope's own activity (one naming the exact code wins
 * over a catch-all at each place). An interrupting catcher ends that scope
 * (and the thrower with it); a non-interrupting one starts its path beside
 * it. Uncaught, the escalation is only recorded: BPMN lets the flow go on.
 */
import type { EscalationBoundaryEventElement } from '../model/types.js';
import type { ElementInstance } from './types.js';
import type { Run } from './run.js';
import { eventSubProcessFor, startEventSubProcess } from './event-sub-processes.js';

export type EscalationOutcome = 'interrupted' | 'caught' | 'uncaught';

export function throwEscalation(run: Run, thrower: ElementInstance, code: string): EscalationOutcome {
  const boundaries = Object.values(run.definition.elements).filter((e): e is EscalationBoundaryEventElement => e.kind === 'escalationBoundaryEvent');
  const outcome = () => (run.state.elements[thrower.key] === thrower ? 'caught' : 'interrupted');
  let current = thrower.scopeKey ? run.state.elements[thrower.scopeKey] : undefined;
  while (current) {
    const esp = current.loop ? undefined : eventSubProcessFor(run, current, 'escalationStartEvent', code);
    if (esp) {
      run.audit('ESCALATION_THROWN', thrower, { escalationCode: code, caughtBy: esp.startEventId, interrupting: esp.interrupting });
      startEventSubProcess(run, esp, current, {});
      return outcome();
    }
    if (current.scopeKey === null) break;
    const attached = run.isRun(current) ? [] : boundaries.filter((b) => b.attachedTo === current!.elementId);
    const boundary = attached.find((b) => b.escalationCode === code) ?? attached.find((b) => b.escalationCode === undefined);
    if (boundary) {
      const scope = run.state.elements[current.scopeKey];
      run.audit('ESCALATION_THROWN', thrower, { escalationCode: code, caughtBy: boundary.id, interrupting: boundary.interrupting });
      if (boundary.interrupting) run.terminate(current);
      run.activateTriggered(boundary, scope, {});
      return outcome();
    }
    current = run.state.elements[current.scopeKey];
  }
  run.audit('ESCALATION_THROWN', thrower, { escalationCode: code, caughtBy: null });
  return 'uncaught';
}
