/**
 * A migration's request and its answer, as plain data: which element of the
 * source version becomes which of the target, and what that does to each
 * active element instance.
 */
import type { ElementKind, ExecutableProcess } from '../../model/types.js';

export interface MigrationMapping {
  sourceElementId: string;
  targetElementId: string;
}

/** The version the instance moves to. */
export interface MigrationTarget {
  definitionKey: string;
  version: number;
  model: ExecutableProcess;
}

/** What becomes of one active element instance. */
export interface MigratedElement {
  elementInstanceKey: string;
  sourceElementId: string;
  targetElementId: string;
  kind: ElementKind;
  /** What it waits on (a job, a user task, a timer or subscription of its own, a child instance), kept with its element id updated; `none` when it waits on nothing itself (a scope). */
  waitState: 'kept' | 'none';
  /** Boundary events (and event sub-process starts) it waits for: kept (mapped), closed (not mapped), opened (the target's, new). */
  boundaryEvents: { kept: MigrationMapping[]; closed: string[]; opened: string[] };
}

export interface MigrationProblem {
  elementId: string;
  message: string;
}
