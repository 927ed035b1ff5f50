import type { Behaviour } from './behaviour.js';
import { compensate } from '../compensation.js';

/**
 * Compensation throw and end events, the transaction, and its cancel end and
 * cancel boundary events (see compensation.ts for how handlers are found).
 */
export const compensationThrowEventBehaviour: Behaviour<'compensationThrowEvent'> = {
  activate(run, element, instance) {
    const pending = compensate(run, run.state.elements[instance.scopeKey!], instance, element.activityRef);
    if (pending === 0 || !element.waitForCompletion) run.complete(instance);
  },
  compensated(run, _element, instance) {
    run.complete(instance);
  },
};

export const compensationEndEventBehaviour: Behaviour<'compensationEndEvent'> = {
  activate(run, element, instance) {
    const pending = compensate(run, run.state.elements[instance.scopeKey!], instance, element.activityRef);
    if (pending === 0 || !element.waitForCompletion) run.complete(instance);
  },
  compensated(run, _element, instance) {
    run.complete(instance);
  },
};

/** Never entered: it only marks its activity as compensable (compile.ts links the handler). */
export const compensationBoundaryEventBehaviour: Behaviour<'compensationBoundaryEvent'> = {
  activate(_run, element) {
    throw new Error(`Compensation boundary event ${element.id} is never activated`);
  },
};

/** A transaction is a scope like a sub-process. */
export const transactionBehaviour: Behaviour<'transaction'> = {
  activate(run, element, instance) {
    instance.variables ??= {};
    run.send(element.startEventId, instance.key);
  },
  scopeEmpty(run, _element, instance) {
    run.complete(instance);
  },
};

/**
 * Cancel end event: compensates everything that completed in its
 * transaction (the transaction stays active meanwhile), then cancels it and
 * leaves by the transaction's cancel boundary event.
 */
export const cancelEndEventBehaviour: Behaviour<'cancelEndEvent'> = {
  activate(run, _element, instance) {
    const transaction = run.state.elements[instance.scopeKey!];
    if (compensate(run, transaction, instance) === 0) cancelTransaction(run, transaction.key);
  },
  compensated(run, _element, instance) {
    cancelTransaction(run, instance.scopeKey!);
  },
};

export const cancelBoundaryEventBehaviour: Behaviour<'cancelBoundaryEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance);
  },
};

function cancelTransaction(run: import('../run.js').Run, transactionKey: string): void {
  const transaction = run.state.elements[transactionKey];
  const scope = run.state.elements[transaction.scopeKey!];
  const boundary = Object.values(run.definition.elements).find((e) => e.kind === 'cancelBoundaryEvent' && e.attachedTo === transaction.elementId);
  run.audit('TRANSACTION_CANCELED', transaction, { cancelBoundary: boundary?.id ?? null });
  run.terminate(transaction);
  if (boundary) run.activateTriggered(boundary, scope, {});
  else run.scopeMayBeEmpty(scope.key);
}
