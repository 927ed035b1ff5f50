/**
 * The BullMQ side of every Weft worker (the SDK's and the agent worker): a
 * Worker on one queue whose messages carry job keys. BullMQ's own retries
 * are off — retries are the engine's (fail with retries and a backoff) — and
 * its lock decides how soon a message held by a dead worker comes back.
 */
import { Worker, type Job } from 'bullmq';
import type { RedisClient } from '../queue/redis.js';
import { bullQueueName } from '../queue/keyspace.js';
import { scrubError } from '../security/redaction.js';

export interface JobQueueWorkerOptions {
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  lockDurationMs?: number;
  onError?: (error: unknown) => void;
}

export function jobQueueWorker(queue: string, handle: (message: Job<{ jobKey: string }>) => Promise<void>, options: JobQueueWorkerOptions): Worker {
  // BullMQ keeps a failed message's error (reason and stack) in Redis: scrubbed of secrets first.
  const guarded = (message: Job<{ jobKey: string }>) => handle(message).catch((error: unknown) => Promise.reject(scrubError(error)));
  // The engine's name for the queue on this connection: a hash tag on a Redis Cluster (queue/keyspace.ts).
  const worker = new Worker(bullQueueName(queue, options.connection), guarded, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.lockDurationMs ?? 30_000,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 1000 },
  });
  worker.on('error', (error) => options.onError?.(error));
  worker.on('failed', (_job, error) => options.onError?.(error));
  return worker;
}
