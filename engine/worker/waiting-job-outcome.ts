/**
 * How a worker whose job can WAIT without spending a retry (the agent
 * worker, the a2a connector) reports an attempt to the engine:
 *
 *   complete → completeJob; wait → failJob with the retries kept and a
 *   backoff (then, once the wait is recorded, `wokenIf` is asked whether what
 *   it waits for already happened — a decision or a tool job that ended while
 *   the attempt still held the job could not hand it out — and the job is
 *   woken if so; best effort, the backoff is the net); incident → failJob
 *   with retries 0; bpmn-error → throwJobError; a crash of the attempt →
 *   failJob with one retry less.
 */
import type { EngineApi } from '../service/types.js';
import type { Variables } from '../runtime/types.js';

export type WaitingJobOutcome =
  | { kind: 'complete'; variables: Variables }
  | { kind: 'wait'; reason: string; backoffMs: number; wokenIf?: () => Promise<boolean> }
  | { kind: 'incident'; message: string }
  | { kind: 'bpmn-error'; errorCode: string; message: string; variables?: Variables };

export type OutcomeClient = Pick<EngineApi, 'completeJob' | 'failJob' | 'throwJobError'> & { wakeJob(jobKey: string): Promise<boolean> };

export async function reportOutcome(engine: OutcomeClient, job: { key: string }, retries: number, outcome: WaitingJobOutcome, actor: string, onError?: (error: unknown) => void): Promise<void> {
  switch (outcome.kind) {
    case 'complete':
      await engine.completeJob(job.key, outcome.variables, actor);
      return;
    case 'wait':
      await engine.failJob(job.key, { retries, errorMessage: `Waiting: ${outcome.reason}`, retryBackoffMs: outcome.backoffMs }, actor);
      if (outcome.wokenIf) {
        await outcome
          .wokenIf()
          .then((ready) => ready && engine.wakeJob(job.key))
          .catch((error) => onError?.(error));
      }
      return;
    case 'incident':
      await engine.failJob(job.key, { retries: 0, errorMessage: outcome.message }, actor);
      return;
    case 'bpmn-error':
      await engine.throwJobError(job.key, { errorCode: outcome.errorCode, errorMessage: outcome.message, variables: outcome.variables }, actor);
      return;
  }
}

/** A crashed attempt: one retry less, after `backoffMs`. */
export async function reportCrash(engine: OutcomeClient, job: { key: string }, retries: number, message: string, backoffMs: number, actor: string): Promise<void> {
  const left = Math.max(0, retries - 1);
  await engine.failJob(job.key, { retries: left, errorMessage: message, retryBackoffMs: left > 0 ? backoffMs : 0 }, actor);
}
