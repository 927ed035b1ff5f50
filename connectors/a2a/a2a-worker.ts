/**
 * The `a2a` connector: a BullMQ worker on the `a2a` job type's queue. Like
 * the agent worker (and unlike createWorker) a job can WAIT without using up
 * a retry; its outcomes map to the job API as the agent worker's do
 * (engine/worker/waiting-job-outcome.ts):
 *   complete → completeJob; wait (remote task still working, connection
 *   switched off) → failJob with retries kept and a backoff;
 *   incident (bad input, unknown connection, input required, unset
 *   credential) → failJob with retries 0; a failed, rejected or canceled
 *   remote task → throwJobError A2A_TASK_FAILED; a crash of the attempt
 *   (remote agent unreachable) → failJob with one retry less.
 */
import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import type { RedisClient } from '../../engine/queue/redis.js';
import type { Knex } from 'knex';
import { jobQueueWorker } from '../../engine/worker/job-queue-worker.js';
import { queueForJobType } from '../../engine/queue/routing.js';
import type { EngineApi } from '../../engine/service/types.js';
import type { Connections } from '../../engine/connections/connection-schema.js';
import { MissingCredentialError } from '../../engine/connections/env-references.js';
import { parseInputs } from './a2a-inputs.js';
import { runExchange, type ExchangeOutcome } from './a2a-exchange.js';
import { connectRemoteAgent } from './remote-agent.js';
import { RemoteTaskRepository } from './remote-task-repository.js';
import { approvalGate } from './a2a-approval.js';
import { reportCrash, reportOutcome } from '../../engine/worker/waiting-job-outcome.js';
import { HumanReview } from '../agents/human-review.js';

export const A2A_JOB_TYPE = 'a2a';

export interface A2aWorkerOptions {
  db: Knex;
  engine: Pick<EngineApi, 'activateJob' | 'completeJob' | 'failJob' | 'throwJobError' | 'deploy' | 'startInstance' | 'getInstance'> & {
    /** Hands a job waiting out its backoff to the workers now (a person decided an approval). */
    wakeJob(jobKey: string): Promise<boolean>;
  };
  connection: RedisClient;
  prefix: string;
  /** The server's connections; only those of kind `a2a` may be named. */
  connections: Connections;
  concurrency?: number;
  workerId?: string;
  /**
   * How long one attempt follows a remote task before the job waits (default
   * 20 s): at most this, and at most four polls, so a job that polls rarely
   * does not hold a worker between its polls.
   */
  followForMs?: number;
  /** Backoff while a connection is switched off (default 5 s). */
  waitBackoffMs?: number;
  /** Backoff while a person decides an approval (default 5 minutes; the decision wakes the job, this is only the net). */
  decisionWaitMs?: number;
  /** Backoff after a crashed attempt (default 2 s). */
  retryBackoffMs?: number;
  onError?: (error: unknown) => void;
}

export interface A2aWorker {
  bullmq: Worker;
  close(force?: boolean): Promise<void>;
}

export function startA2aWorker(options: A2aWorkerOptions): A2aWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:a2a`;
  const repo = new RemoteTaskRepository(options.db);
  const followForMs = options.followForMs ?? 20_000;
  const actor = `worker:${workerId}`;

  const review = new HumanReview(options.engine);
  const attempt = async (job: NonNullable<Awaited<ReturnType<EngineApi['activateJob']>>>): Promise<ExchangeOutcome & { reviewInstanceId?: string }> => {
    const parsed = parseInputs(job.variables, job.headers);
    if ('problem' in parsed) return { kind: 'incident', message: parsed.problem };
    const { inputs } = parsed;
    const connection = Object.hasOwn(options.connections, inputs.connection) ? options.connections[inputs.connection] : undefined;
    if (connection?.kind !== 'a2a') {
      const known = Object.entries(options.connections).filter(([, c]) => c.kind === 'a2a').map(([name]) => name);
      return { kind: 'incident', message: `a2a task: no A2A connection named '${inputs.connection}' is configured on this server (known A2A connections: ${known.join(', ') || '(none)'})` };
    }
    if (await repo.disabled(inputs.connection)) return { kind: 'wait', reason: `A2A connection '${inputs.connection}' is disabled (kill switch)`, backoffMs: options.waitBackoffMs ?? 5000 };
    const gate = await approvalGate(job, inputs, connection, { repo, review, waitMs: options.decisionWaitMs ?? 300_000 });
    if (gate) return gate;
    const remote = await connectRemoteAgent(inputs.connection, connection);
    return runExchange({ job, inputs, client: remote.client, repo, followForMs: Math.min(followForMs, 4 * inputs.pollIntervalMs) });
  };

  const handle = async (message: Job<{ jobKey: string }>) => {
    // Held a little longer than an attempt follows its task, so no other worker takes it meanwhile.
    const job = await options.engine.activateJob(message.data.jobKey, workerId, followForMs + 60_000);
    if (!job) return;
    let outcome: ExchangeOutcome & { reviewInstanceId?: string };
    try {
      outcome = await attempt(job);
    } catch (error) {
      if (error instanceof MissingCredentialError) {
        await options.engine.failJob(job.key, { retries: 0, errorMessage: `a2a task: ${error.message}` }, actor);
        return;
      }
      options.onError?.(error);
      await reportCrash(options.engine, job, job.retries, `a2a task: ${(error as Error).message}`, options.retryBackoffMs ?? 2000, actor);
      return;
    }
    const { reviewInstanceId } = outcome;
    // A decision taken while this attempt held the job found nothing to wake: asked once the wait is recorded.
    const wokenIf = outcome.kind === 'wait' && reviewInstanceId ? async () => (await review.decision(reviewInstanceId)) !== null : undefined;
    await reportOutcome(options.engine, job, job.retries, outcome.kind === 'wait' ? { ...outcome, wokenIf } : outcome, actor, options.onError);
  };

  const worker = jobQueueWorker(queueForJobType(A2A_JOB_TYPE), handle, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
    lockDurationMs: followForMs + 30_000,
    onError: options.onError,
  });
  return { bullmq: worker, close: (force = false) => worker.close(force) };
}
