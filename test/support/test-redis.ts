import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ prefix no other test file uses, so files can share one Redis. */
export function testQueuePrefix(): string {
  return `weft-test-${randomBytes(6).toString('hex')}`;
}

/**
 * A client for the test Redis (BullMQ-ready: maxRetriesPerRequest null), one
 * server (the cluster test makes its own: test/support/redis-cluster.ts). Quit it in afterAll.
 */
export function openTestRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
}

/** Deletes every key under `prefix:` (BullMQ keys are `<prefix>:<queue>:…`). Returns how many. */
export async function cleanupPrefix(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
