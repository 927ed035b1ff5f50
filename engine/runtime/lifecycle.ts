/**
 * The one table of element states and the transitions between them.
 * Behaviours request a transition; only `transition()` writes a state.
 *
 *   ACTIVATING ─► ACTIVE ─► COMPLETING ─► COMPLETED
 *        │           │           │
 *        └───────────┴───────────┴──► TERMINATING ─► TERMINATED
 *
 * An element stays in ACTIVATING or COMPLETING while an incident (a failed
 * input or output mapping) holds it there.
 */
import type { ElementInstance, ElementState } from './types.js';

const allowed: Record<ElementState, readonly ElementState[]> = {
  ACTIVATING: ['ACTIVE', 'TERMINATING'],
  ACTIVE: ['COMPLETING', 'TERMINATING'],
  COMPLETING: ['COMPLETED', 'TERMINATING'],
  COMPLETED: [],
  TERMINATING: ['TERMINATED'],
  TERMINATED: [],
};

export function canTransition(from: ElementState, to: ElementState): boolean {
  return allowed[from].includes(to);
}

/** Moves an element instance to `to`; an illegal move is a bug in the engine, so it throws. */
export function transition(instance: ElementInstance, to: ElementState): void {
  if (!canTransition(instance.state, to)) {
    throw new Error(`Illegal transition of ${instance.elementId} (${instance.key}) from ${instance.state} to ${to}`);
  }
  instance.state = to;
}

export function isLive(instance: ElementInstance): boolean {
  return instance.state !== 'COMPLETED' && instance.state !== 'TERMINATED';
}
