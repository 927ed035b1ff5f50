/**
 * BullMQ keeps a failed message's error (reason and stack trace) in Redis
 * for inspection: a worker's crash that quotes a secret must not put it
 * there (issue #8, finding 4).
 */
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobQueueWorker } from '../../engine/worker/job-queue-worker.js';
import { registerSecret } from '../../engine/security/redaction.js';
import { cleanupPrefix, openTestRedis, testQueuePrefix } from '../support/test-redis.js';

const SECRET = 'queue-secret-value-8d41f2';

describe("BullMQ's kept failures", () => {
  const redis = openTestRedis();
  const prefix = testQueuePrefix();
  const queue = new Queue('redaction', { connection: redis, prefix });
  const eventsRedis = openTestRedis();
  const workerRedis = openTestRedis();
  const events = new QueueEvents('redaction', { connection: eventsRedis, prefix });

  beforeAll(async () => {
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await queue.close();
    await events.close();
    await cleanupPrefix(redis, prefix);
    await Promise.all([redis.quit(), eventsRedis.quit(), workerRedis.quit()]);
  });

  it("hold a crashed handler's error scrubbed of secrets", async () => {
    // given a secret the process knows, and a handler that crashes quoting it
    registerSecret(SECRET);
    const worker = jobQueueWorker(
      'redaction',
      async () => {
        throw new Error(`engine unreachable at https://weft:${SECRET}@engine.example/api`);
      },
      { connection: workerRedis, prefix, concurrency: 1 },
    );
    try {
      // when a message fails
      const message = await queue.add('m', { jobKey: 'k-1' });
      await message.waitUntilFinished(events).catch(() => undefined);

      // then what Redis keeps has no secret
      const failed = await queue.getJob(message.id!);
      expect(failed?.failedReason).toBe('engine unreachable at https://weft:[redacted]@engine.example/api');
      expect(JSON.stringify(failed?.stacktrace)).not.toContain(SECRET);
    } finally {
      await worker.close();
    }
  });
});
