/**
 * Where a thrown escalation is caught: from the thrower's scope outwards,
 * the first enclosing sub-process with an escalation boundary event for the
 * code (one naming the exact code wins over a catch-all at each level). An
 * interrupting catcher ends that sub-process (and the thrower with it); a
 * non-interrupting one starts its path beside it. Uncaught, the escalation is
 * only recorded: BPMN lets the flow go on.
 */
import type { EscalationBoundaryEventElement } from '../model/types.js';
import type { ElementInstance } from './types.js';
import type { Run } from './run.js';

export type EscalationOutcome = 'interrupted' | 'caught' | 'uncaught';

export function throwEscalation(run: Run, thrower: ElementInstance, code: string): EscalationOutcome {
  const boundaries = Object.values(run.definition.elements).filter((e): e is EscalationBoundaryEventElement => e.kind === 'escalationBoundaryEvent');
  let current = thrower.scopeKey ? run.state.elements[thrower.scopeKey] : undefined;
  while (current && current.scopeKey !== null) {
    const attached = boundaries.filter((b) => b.attachedTo === current!.elementId);
    const boundary = attached.find((b) => b.escalationCode === code) ?? attached.find((b) => b.escalationCode === undefined);
    if (boundary) {
      const scope = run.state.elements[current.scopeKey];
      run.audit('ESCALATION_THROWN', thrower, { escalationCode: code, caughtBy: boundary.id, interrupting: boundary.interrupting });
      if (boundary.interrupting) run.terminate(current);
      run.activateTriggered(boundary, scope, {});
      return run.state.elements[thrower.key] === thrower ? 'caught' : 'interrupted';
    }
    current = run.state.elements[current.scopeKey];
  }
  run.audit('ESCALATION_THROWN', thrower, { escalationCode: code, caughtBy: null });
  return 'uncaught';
}
