/**
 * The worker SDK: `createWorker(type, handler, options)`.
 *
 * A BullMQ worker on the job type's queue. Each queue message carries only a
 * job key; the worker activates the job through the engine (which re-reads
 * the truth from Postgres and hands it out once), runs the handler, and
 * reports the outcome to the engine. Completion is never inferred from BullMQ.
 */
import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import { jobQueueWorker } from './job-queue-worker.js';
import type { RedisClient } from '../queue/redis.js';
import type { EngineApi } from '../service/types.js';
import type { Variables } from '../runtime/types.js';
import { queueForJobType } from '../queue/routing.js';
import { BpmnError } from './bpmn-error.js';
import { JobFailure } from './job-failure.js';
import { WeftError } from '../errors.js';
import { withEngineRetry } from './engine-retry.js';
import { SpanKind, contextOf, inSpan } from '../observability/tracing/tracing.js';

export interface JobContext {
  key: string;
  type: string;
  processInstanceId: string;
  elementId: string;
  variables: Variables;
  headers: Record<string, string>;
  /** Retries left, counting this attempt. */
  retries: number;
}

export type JobHandler = (job: JobContext) => Promise<Variables | void> | Variables | void;

/** What a worker needs of the engine: in-process, the EngineService; remotely, the REST client. */
export type JobClient = Pick<EngineApi, 'activateJob' | 'completeJob' | 'failJob' | 'throwJobError'>;

export interface WorkerOptions {
  client: JobClient;
  /** An ioredis connection (BullMQ duplicates it for blocking reads). */
  connection: RedisClient;
  /** BullMQ key prefix; must match the engine's (WEFT_QUEUE_PREFIX). */
  prefix: string;
  concurrency?: number;
  workerId?: string;
  /** How long the engine waits for this worker before handing the job to another. */
  timeoutMs?: number;
  /** Backoff before a failed job is retried: a fixed delay, or one computed from the retries left. */
  retryBackoffMs?: number | ((retriesLeft: number) => number);
  /** BullMQ's lock: a worker that dies holding a message is detected after this long. */
  lockDurationMs?: number;
  onError?: (error: unknown, job?: JobContext) => void;
  /** How long a call to the engine is tried again while the engine, or its Postgres or Redis, is unavailable (default 60 s). */
  engineRetryMs?: number;
}

export interface WeftWorker {
  readonly type: string;
  readonly bullmq: Worker;
  close(): Promise<void>;
}

export function createWorker(type: string, handler: JobHandler, options: WorkerOptions): WeftWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${type}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const backoff = (left: number) =>
    typeof options.retryBackoffMs === 'function' ? options.retryBackoffMs(left) : (options.retryBackoffMs ?? 1000);

  let closing = false;
  const retry = { forMs: options.engineRetryMs ?? 60_000, stopped: () => closing };
  // Every call to the engine waits out a short outage instead of failing the message.
  const client: JobClient = {
    activateJob: (...args) => withEngineRetry(() => options.client.activateJob(...args), retry),
    completeJob: (...args) => withEngineRetry(() => options.client.completeJob(...args), retry),
    failJob: (...args) => withEngineRetry(() => options.client.failJob(...args), retry),
    throwJobError: (...args) => withEngineRetry(() => options.client.throwJobError(...args), retry),
  };

  // With tracing on, a message's handling is a span in the trace its `traceparent` names (the step that created
  // the job), and the calls to the engine below are its children (httpJobClient sends the header on).
  const traced = (message: Job<{ jobKey: string; traceparent?: string }>) =>
    inSpan(`weft.job ${type}`, { 'weft.job_type': type, 'weft.job_key': message.data.jobKey }, () => process_(message), {
      kind: SpanKind.CONSUMER,
      parent: contextOf(message.data.traceparent),
    });

  const process_ = async (message: Job<{ jobKey: string }>) => {
    const job = await client.activateJob(message.data.jobKey, workerId, timeoutMs);
    if (!job) return; // already worked, canceled, or held by another worker
    const context: JobContext = {
      key: job.key,
      type: job.type,
      processInstanceId: job.processInstanceId,
      elementId: job.elementId,
      variables: job.variables,
      headers: job.headers,
      retries: job.retries,
    };
    const actor = `worker:${workerId}`;
    let result: Variables | void;
    try {
      result = await handler(context);
    } catch (error) {
      if (error instanceof BpmnError) {
        await client.throwJobError(job.key, { errorCode: error.code, errorMessage: error.message, variables: error.variables }, actor);
        return;
      }
      options.onError?.(error, context);
      if (error instanceof JobFailure) {
        // The handler chose the retries and backoff (never more retries than the job has).
        const left = Math.max(0, Math.min(error.retries, job.retries - 1));
        await client.failJob(job.key, { retries: left, errorMessage: messageOf(error), retryBackoffMs: left > 0 ? error.retryBackoffMs : 0 }, actor);
        return;
      }
      const left = Math.max(0, job.retries - 1);
      await client.failJob(job.key, { retries: left, errorMessage: messageOf(error), retryBackoffMs: left > 0 ? backoff(left) : 0 }, actor);
      return;
    }
    try {
      await client.completeJob(job.key, result ?? {}, actor);
    } catch (error) {
      // A result the engine refuses (not storable, not an object) would fail the same way on every
      // retry: fail the job with the reason, so it ends in an incident instead of looping.
      if (!(error instanceof WeftError) || error.status >= 500 || error.code === 'JOB_NOT_ACTIVE' || error.code === 'JOB_NOT_FOUND') throw error;
      options.onError?.(error, context);
      const left = Math.max(0, job.retries - 1);
      await client.failJob(job.key, { retries: left, errorMessage: `The worker's result was refused: ${error.message}`, retryBackoffMs: left > 0 ? backoff(left) : 0 }, actor);
    }
  };

  const worker = jobQueueWorker(queueForJobType(type), traced, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
    lockDurationMs: options.lockDurationMs,
    onError: options.onError,
  });

  return {
    type,
    bullmq: worker,
    close: () => {
      closing = true;
      return worker.close();
    },
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
