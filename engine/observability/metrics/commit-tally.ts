/**
 * What a write set counts for the metrics (pure): instances started and
 * ended per process, element activations per element kind, jobs created,
 * completed and failed per job type. Read from the audit rows the step
 * writes, so the figures are exactly what the audit says happened.
 *
 * A tally travels with its statement and is added to the counters only
 * after the transaction committed (CommandPath.committed): a step that was
 * rolled back, or retried alone after its batch failed, counts once or not
 * at all.
 */
import type { WriteSet } from '../../persistence/write-set.js';

/** Counts by label value (a process id, an element kind, a job type). */
export type Count = Record<string, number>;

export interface CommitTally {
  /** By process id. */
  started: Count;
  /** By process id; a terminate end event ends an instance as completed. */
  completed: Count;
  canceled: Count;
  /** By element kind (`serviceTask`, `exclusiveGateway`, … and `process` for the instance itself). */
  activations: Count;
  /** By job type. */
  jobsCreated: Count;
  jobsCompleted: Count;
  /** Every failure a worker reported, with or without retries left. */
  jobsFailed: Count;
}

/** What the engine's write path tells the metrics (weft-metrics.ts); called on the hot path, so it only adds in memory. */
export interface EngineMetrics {
  /** After a commit: what its steps wrote. */
  countCommitted(tallies: CommitTally[]): void;
  /** A job handed to a worker, `waitedSeconds` after it became available (created, or its retry's backoff over). */
  jobActivated(jobType: string, waitedSeconds: number): void;
}

export function emptyTally(): CommitTally {
  return { started: {}, completed: {}, canceled: {}, activations: {}, jobsCreated: {}, jobsCompleted: {}, jobsFailed: {} };
}

/** The audit types that count, and where (each names the payload field that labels it, or the process id). */
const COUNTED: Record<string, { into: keyof CommitTally; label: 'process' | 'kind' | 'jobType' }> = {
  INSTANCE_CREATED: { into: 'started', label: 'process' },
  INSTANCE_COMPLETED: { into: 'completed', label: 'process' },
  INSTANCE_TERMINATED: { into: 'completed', label: 'process' },
  INSTANCE_CANCELED: { into: 'canceled', label: 'process' },
  ELEMENT_ACTIVATED: { into: 'activations', label: 'kind' },
  JOB_CREATED: { into: 'jobsCreated', label: 'jobType' },
  JOB_COMPLETED: { into: 'jobsCompleted', label: 'jobType' },
  JOB_FAILED: { into: 'jobsFailed', label: 'jobType' },
};

/** Adds what `sets` write to `into` (a fresh tally by default). */
export function tallyOf(sets: Pick<WriteSet, 'instance' | 'audit'>[], into: CommitTally = emptyTally()): CommitTally {
  for (const set of sets) {
    const processId = set.instance.state.processId;
    for (const row of set.audit) {
      const counted = COUNTED[row.type as string];
      if (!counted) continue;
      const payload = (row.payload ?? {}) as Record<string, unknown>;
      const label = counted.label === 'process' ? processId : payload[counted.label];
      if (typeof label !== 'string') continue;
      const count = into[counted.into];
      count[label] = (count[label] ?? 0) + 1;
    }
  }
  return into;
}

/** Several tallies as one (a batch's steps, a step and the children it started). */
export function mergeTallies(tallies: CommitTally[]): CommitTally {
  if (tallies.length === 1) return tallies[0];
  const out = emptyTally();
  for (const tally of tallies) {
    for (const key of Object.keys(out) as (keyof CommitTally)[]) {
      for (const [label, n] of Object.entries(tally[key])) out[key][label] = (out[key][label] ?? 0) + n;
    }
  }
  return out;
}
