/**
 * Compensation: undoing what completed. When an activity with a compensation
 * handler completes, its scope records it (with the local variables it had);
 * a completed sub-process or loop body passes up what was recorded inside
 * it. A compensation throw — or a transaction's cancel end event — runs the
 * handlers of its scope's records (or only those of `activityRef`), most
 * recent first, each as a new run in that scope with the recorded variables;
 * the thrower waits for them (`compensating`) and is told when the last ends.
 * What was terminated, not completed, is never compensated.
 */
import type { FlowElement } from '../model/types.js';
import type { CompensableRecord, ElementInstance } from './types.js';
import type { Run } from './run.js';

/** Records `instance` (completing now) in its scope, if it or anything inside it can be compensated. */
export function recordCompensable(run: Run, element: FlowElement, instance: ElementInstance): void {
  if (element.forCompensation || instance.compensationFor) return;
  const handlerId = instance.loop ? undefined : element.compensationHandler;
  const nested = instance.compensable;
  if (!handlerId && !nested?.length) return;
  const scope = instance.scopeKey ? run.state.elements[instance.scopeKey] : undefined;
  if (!scope) return;
  const record: CompensableRecord = { elementId: element.id };
  if (handlerId) {
    record.handlerId = handlerId;
    if (instance.variables && Object.keys(instance.variables).length > 0) record.variables = { ...instance.variables };
  }
  if (nested?.length) record.nested = nested;
  (scope.compensable ??= []).push(record);
}

/**
 * Starts the handlers for `scope`'s records (all, or those of `activityRef`)
 * on behalf of `thrower`; returns how many are still running (0: done at once,
 * or nothing to compensate).
 */
export function compensate(run: Run, scope: ElementInstance, thrower: ElementInstance, activityRef?: string): number {
  const records = scope.compensable ?? [];
  const chosen = activityRef ? records.filter((r) => r.elementId === activityRef) : records;
  scope.compensable = records.filter((r) => !chosen.includes(r));
  if (scope.compensable.length === 0) delete scope.compensable;
  const handlers = handlersOf(chosen);
  run.audit('COMPENSATION_STARTED', thrower, { scopeKey: scope.key, activityRef: activityRef ?? null, handlers: handlers.map((h) => h.handlerId) });
  thrower.compensating = [];
  for (const record of handlers) {
    const handler = run.element(record.handlerId!);
    const started = run.activateHandler(handler, scope, record.variables ?? {}, thrower.key);
    if (run.state.elements[started.key] === started) thrower.compensating.push(started.key);
  }
  const pending = thrower.compensating.length;
  if (pending === 0) delete thrower.compensating;
  return pending;
}

/** A handler run finished: tell the event that started it, which goes on when it was the last. */
export function handlerFinished(run: Run, handler: ElementInstance): void {
  const thrower = run.state.elements[handler.compensationFor!];
  if (!thrower?.compensating) return;
  thrower.compensating = thrower.compensating.filter((key) => key !== handler.key);
  if (thrower.compensating.length > 0) return;
  delete thrower.compensating;
  const element = run.element(thrower.elementId);
  run.behaviourFor(thrower).compensated?.(run, element, thrower);
}

/** Most recent first; what completed inside an activity is compensated before the activity itself. */
function handlersOf(records: CompensableRecord[]): CompensableRecord[] {
  const out: CompensableRecord[] = [];
  for (const record of [...records].reverse()) {
    if (record.nested) out.push(...handlersOf(record.nested));
    if (record.handlerId) out.push(record);
  }
  return out;
}
