import { Redis, type RedisOptions } from 'ioredis';
import { ConnectionError, addressOf, reasonOf } from '../connection-error.js';
import { withTimeout } from '../with-timeout.js';

export const START_HINT =
  'Start it with `docker compose up -d redis`, or with ' +
  '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379`, or point REDIS_URL at a running server.';

/**
 * An ioredis client fit for BullMQ: `maxRetriesPerRequest: null` is required
 * for Workers (blocking commands must wait through reconnects, not fail).
 */
export function openRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, ...options });
}

/**
 * An ioredis client for plain commands on a request's path (enqueueing, the
 * sign-in counters, the health ping): while Redis is down a command fails at
 * once instead of waiting in ioredis's offline queue for the reconnect, so the
 * request can answer (503, or commit and leave the outbox to the sweep). It
 * reconnects by itself like any other. Not for BullMQ Workers, whose blocking
 * commands must wait through reconnects (openRedis).
 */
export async function openCommandRedis(url: string, options: RedisOptions = {}, timeoutMs = 3000): Promise<Redis> {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, ...options });
  client.on('error', () => undefined); // reported by the commands that fail, and by /health
  // Without an offline queue, a command sent before the connection is up would fail: wait for it.
  try {
    await withTimeout(new Promise((resolve) => client.once('ready', resolve)), timeoutMs);
  } catch (error) {
    client.disconnect();
    throw new ConnectionError('Redis', addressOf(url, 6379), reasonOf(error), START_HINT, { cause: error });
  }
  return client;
}

/** Pings Redis once with a short timeout; throws a ConnectionError naming the address and how to start it. */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  const address = addressOf(url, 6379);
  // No retries and no offline queue: a down server must fail fast, not hang.
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis reports the socket error as an event and rejects with a bare "Connection is closed".
  let socketError: unknown;
  client.on('error', (error) => (socketError ??= error));
  try {
    await client.connect();
    await withTimeout(client.ping(), timeoutMs);
  } catch (error) {
    const cause = socketError ?? error;
    throw new ConnectionError('Redis', address, reasonOf(cause), START_HINT, { cause });
  } finally {
    client.disconnect();
  }
}

