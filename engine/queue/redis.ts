import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { ConnectionError, reasonOf } from '../connection-error.js';
import { withTimeout } from '../with-timeout.js';
import { CLUSTER_URL_EXAMPLE, formatNode, redisAddress, redisTarget, type RedisTarget } from './redis-url.js';

export const START_HINT =
  'Start it with `docker compose up -d redis`, or with ' +
  '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379`, or point REDIS_URL at a running server ' +
  `(a Redis Cluster: ${CLUSTER_URL_EXAMPLE}).`;

/**
 * A connection Weft makes from REDIS_URL: one server (ioredis `Redis`) or a
 * Redis Cluster (ioredis `Cluster`, which routes each command to the master
 * of its key's slot). BullMQ takes either; `isCluster` tells them apart, and
 * decides the BullMQ queue names (keyspace.ts).
 */
export type RedisClient = Redis | Cluster;

/**
 * An ioredis client fit for BullMQ: `maxRetriesPerRequest: null` is required
 * for Workers (blocking commands must wait through reconnects, not fail).
 */
export function openRedis(url: string, options: RedisOptions = {}): RedisClient {
  return open(redisTarget(url), { maxRetriesPerRequest: null, ...options });
}

/**
 * An ioredis client for plain commands on a request's path (enqueueing, the
 * sign-in counters, the health ping): while Redis is down a command fails at
 * once instead of waiting in ioredis's offline queue for the reconnect, so the
 * request can answer (503, or commit and leave the outbox to the sweep). It
 * reconnects by itself like any other. Not for BullMQ Workers, whose blocking
 * commands must wait through reconnects (openRedis).
 */
export async function openCommandRedis(url: string, options: RedisOptions = {}, timeoutMs = 3000): Promise<RedisClient> {
  const client = open(redisTarget(url), { enableOfflineQueue: false, maxRetriesPerRequest: 1, ...options });
  client.on('error', () => undefined); // reported by the commands that fail, and by /health
  // Without an offline queue, a command sent before the connection is up would fail: wait for it.
  try {
    await withTimeout(new Promise((resolve) => client.once('ready', resolve)), timeoutMs);
  } catch (error) {
    client.disconnect();
    throw new ConnectionError('Redis', redisAddress(url), reasonOf(error), START_HINT, { cause: error });
  }
  return client;
}

/**
 * Pings Redis once with a short timeout; throws a ConnectionError naming the
 * address and how to start it. It also says when REDIS_URL names the wrong
 * kind: a cluster node as one server (every other key would answer MOVED),
 * or a plain server as a cluster.
 */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  const address = redisAddress(url);
  const target = redisTarget(url);
  // No retries and no offline queue: a down server must fail fast, not hang.
  const client = open(target, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  // ioredis reports the socket error as an event and rejects with a bare "Connection is closed".
  let socketError: unknown;
  client.on('error', (error) => (socketError ??= error));
  try {
    await withTimeout(client.connect(), timeoutMs);
    await withTimeout(client.ping(), timeoutMs);
    if (target.kind === 'server' && /cluster_enabled:1/.test(await withTimeout(client.info('cluster'), timeoutMs))) {
      throw new ConnectionError('Redis', address, 'it is a Redis Cluster node', `Name the cluster: REDIS_URL=redis-cluster://${address} (more nodes after commas, e.g. ${CLUSTER_URL_EXAMPLE}).`);
    }
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    const cause = socketError ?? error;
    // A cluster that could not be reached reports "Failed to refresh slots cache"; the last node's own error says why.
    const nodeError = (cause as { lastNodeError?: unknown } | null)?.lastNodeError;
    if (target.kind === 'cluster' && nodeError) {
      const reason = `no node answered with the cluster's slots (${reasonOf(nodeError).replace(/\.$/, '')})`;
      const single = /cluster support disabled/.test(reasonOf(nodeError));
      const hint = single ? `It is a single Redis server, not a cluster node: REDIS_URL=${target.tls ? 'rediss' : 'redis'}://${target.nodes.map(formatNode)[0]}.` : START_HINT;
      throw new ConnectionError('Redis', address, reason, hint, { cause });
    }
    throw new ConnectionError('Redis', address, reasonOf(cause), START_HINT, { cause });
  } finally {
    client.disconnect();
  }
}

/** Another connection like this one (a subscription needs one to itself): to the same server, or the same cluster. */
export function duplicateRedis(client: RedisClient): RedisClient {
  // The same call on both sides: TypeScript cannot call `duplicate` on the union (the two classes' signatures differ).
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}

function open(target: RedisTarget, options: RedisOptions): RedisClient {
  if (target.kind === 'server') return new Redis(target.url, options);
  return new Cluster(target.nodes, clusterOptions(target, options));
}

/**
 * The same wishes for a Cluster: what concerns the whole cluster (its offline
 * queue, auto-pipelining, lazy connect, the reconnect strategy) sits at the top
 * level, the rest applies to each node's connection (`redisOptions`), where
 * BullMQ looks for `maxRetriesPerRequest: null`.
 */
function clusterOptions(target: Extract<RedisTarget, { kind: 'cluster' }>, options: RedisOptions): ClusterOptions {
  const { enableOfflineQueue, enableAutoPipelining, lazyConnect, retryStrategy, enableReadyCheck, ...perNode } = options;
  return {
    enableOfflineQueue,
    enableAutoPipelining,
    lazyConnect,
    // Ready once CLUSTER INFO says ok (every slot served), not merely connected.
    enableReadyCheck: enableReadyCheck ?? true,
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    redisOptions: {
      ...perNode,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  };
}
