/**
 * What an operator can ask a modification to do (Camunda 8's activate /
 * terminate / move instructions, Camunda 7's startBeforeActivity /
 * startAfterActivity / cancel). Plain data: the API edge validates the
 * shape (engine/api/operation-schemas.ts), the step checks it against the
 * instance (plan.ts).
 */
import type { Variables } from '../types.js';

/** Where a new token goes when its element is inside a sub-process that has more than one active instance. */
interface Ancestor {
  ancestorElementInstanceKey?: string;
}

/** Cancel one token (by its element instance key) or every token of an element (by element id). */
export type CancelInstruction = { type: 'cancel' } & ({ elementInstanceKey: string; elementId?: undefined } | { elementId: string; elementInstanceKey?: undefined });

/** A new token enters `elementId` as if it had arrived there; `variables` are set in the scope it runs in (its sub-process, or the instance). */
export interface StartBeforeInstruction extends Ancestor {
  type: 'startBefore';
  elementId: string;
  variables?: Variables;
}

/** A new token leaves `elementId` by its single outgoing flow, without running the element. */
export interface StartAfterInstruction extends Ancestor {
  type: 'startAfter';
  elementId: string;
  variables?: Variables;
}

/** The tokens at an element (or one element instance) are canceled and, for each, a token enters `toElementId`. */
export type MoveInstruction = { type: 'move'; toElementId: string; variables?: Variables } & Ancestor &
  ({ fromElementInstanceKey: string; fromElementId?: undefined } | { fromElementId: string; fromElementInstanceKey?: undefined });

export type ModificationInstruction = CancelInstruction | StartBeforeInstruction | StartAfterInstruction | MoveInstruction;
