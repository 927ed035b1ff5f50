/**
 * Weft on a real Redis Cluster (three masters on loopback, started and
 * stopped here): REDIS_URL=redis-cluster://…, each queue's keys on one slot
 * (its name is a hash tag), the queues spread over the masters — and a
 * Redis loss detected per queue: one master that loses its data gets its
 * queues re-driven from Postgres, the queues of the others keep their
 * messages. A single sentinel would sit on one master's slot and miss the
 * loss of the other two; here the sentinel of each queue sits in the queue's
 * own slot (engine/queue/keyspace.ts, redrive.ts).
 *
 * The missing-jobs net (redriveMissing) is held off, so what delivers the
 * lost jobs is the sentinel's re-drive and nothing else.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { redisClusterUnavailable, startRedisCluster, type ClusterMaster, type PrivateRedisCluster } from '../support/redis-cluster.js';
import { queueForJobType } from '../../engine/queue/routing.js';
import { bullQueueName, sentinelKey } from '../../engine/queue/keyspace.js';
import { checkRedis, openRedis } from '../../engine/queue/redis.js';
import { createWorker } from '../../engine/worker/create-worker.js';
import { httpJobClient } from '../../engine/worker/http-job-client.js';
import { ConnectionError } from '../../engine/connection-error.js';
import { TEST_REDIS_URL } from '../support/test-redis.js';

const threeTasks = readFileSync(new URL('../../bench/three-tasks.bpmn', import.meta.url), 'utf8');
const oneJob = readFileSync(new URL('../fixtures/integration/redis-cluster/one-job.bpmn', import.meta.url), 'utf8');
const missing = redisClusterUnavailable();
if (missing) console.warn(`redis-cluster.test.ts skipped: ${missing}`);

describe.skipIf(missing !== null)('Weft on a Redis Cluster of three masters', () => {
  let cluster: PrivateRedisCluster;
  let t: TestWeft;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    t = await startTestWeft(
      { background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 600_000, timerPollMs: 100, messageSweepMs: 500 } },
      { redisUrl: cluster.url },
    );
    await t.weft.engine.deploy([{ name: 'three-tasks.bpmn', content: threeTasks }, { name: 'one-job.bpmn', content: oneJob }], 'test');
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await cluster?.stop();
  });

  /** A job type of each of `count` masters: their queues live on different masters. */
  async function typesOnDistinctMasters(word: string, count: number): Promise<{ type: string; master: ClusterMaster }[]> {
    const found = new Map<number, { type: string; master: ClusterMaster }>();
    for (let i = 0; found.size < count; i++) {
      const type = `${word}-${i}`;
      const master = await cluster.masterOf(`${t.config.queuePrefix}:${bullQueueName(queueForJobType(type), { isCluster: true })}:wait`);
      if (!found.has(master.port)) found.set(master.port, { type, master });
    }
    return [...found.values()];
  }

  /** Starts `count` instances that wait for a job of `type`; resolves once their jobs are in BullMQ. */
  async function waitingFor(type: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await t.weft.engine.startInstance({ processId: 'it-cluster-job', variables: { jobType: type } }, 'test')).id);
    await eventually(async () => {
      const jobs = await t.weft.db('jobs').whereIn('process_instance_id', ids).andWhere({ state: 'ACTIVATABLE' }).select('dispatch_id');
      if (jobs.length !== count) return false;
      return (await Promise.all(jobs.map((j) => t.weft.dispatcher.holds(queueForJobType(type), j.dispatch_id)))).every(Boolean);
    });
    return ids;
  }

  async function heldInRedis(ids: string[], type: string): Promise<boolean[]> {
    const jobs = await t.weft.db('jobs').whereIn('process_instance_id', ids).select('dispatch_id');
    return Promise.all(jobs.map((j) => t.weft.dispatcher.holds(queueForJobType(type), j.dispatch_id)));
  }

  async function allCompleted(ids: string[]): Promise<boolean> {
    const [{ count }] = await t.weft.db('process_instances').whereIn('id', ids).andWhere({ status: 'COMPLETED' }).count({ count: '*' });
    return Number(count) === ids.length;
  }

  async function completionsOf(ids: string[]): Promise<string[]> {
    const rows = await t.weft.db('audit').whereIn('process_instance_id', ids).andWhere({ type: 'JOB_COMPLETED' }).select('payload');
    return rows.map((r) => r.payload.jobKey);
  }

  it('runs deploy → jobs → completion across the cluster, each queue on one slot', async () => {
    // given workers for the three task types
    expect(t.weft.redis.isCluster).toBe(true);
    for (const type of ['bench-1', 'bench-2', 'bench-3']) t.weft.worker(type, () => ({ [type]: true }), { concurrency: 4 });

    // when instances run
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test')).id);

    // then every one completes, each job once
    await eventually(() => allCompleted(ids), 30_000);
    const keys = await completionsOf(ids);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    // and each queue's keys are under its hash tag, with its sentinel in the same slot (on the same master)
    const prefix = t.config.queuePrefix;
    for (const type of ['bench-1', 'bench-2', 'bench-3']) {
      const queue = queueForJobType(type);
      const master = await cluster.masterOf(`${prefix}:{${queue}}:meta`);
      expect(await master.client.exists(`${prefix}:{${queue}}:meta`)).toBe(1);
      expect(await master.client.exists(sentinelKey(prefix, t.weft.redis, queue))).toBe(1);
    }
  }, 60_000);

  it('a master that loses its data gets its queues re-driven; the queues of the other masters keep their messages', async () => {
    // given instances waiting for jobs of three types whose queues live on the three masters, no worker running
    const types = await typesOnDistinctMasters('cluster-partial', 3);
    const waiting = await Promise.all(types.map(async (entry) => ({ ...entry, ids: await waitingFor(entry.type, 3) })));

    // when each master in turn loses everything (so a sentinel on any one master would miss two of the losses)
    for (const lost of waiting) {
      await lost.master.client.flushall();

      // then the other queues kept their messages, and the lost ones are back: the re-drive set the queue's sentinel again and dispatched them
      for (const other of waiting.filter((w) => w !== lost)) expect(await heldInRedis(other.ids, other.type)).toEqual([true, true, true]);
      await eventually(async () => (await heldInRedis(lost.ids, lost.type)).every(Boolean), 10_000);
      // A re-drive that fails part-way (the connection to the flushed master reconnecting) deletes the sentinel and the next check sets it again.
      await eventually(async () => (await lost.master.client.exists(sentinelKey(t.config.queuePrefix, t.weft.redis, queueForJobType(lost.type)))) === 1 || undefined);
    }

    // and once workers run, every instance completes, each job once
    for (const { type } of waiting) t.weft.worker(type, () => ({ done: true }));
    const ids = waiting.flatMap((w) => w.ids);
    await eventually(() => allCompleted(ids), 20_000);
    const keys = await completionsOf(ids);
    expect(keys).toHaveLength(9);
    expect(new Set(keys).size).toBe(9);
  }, 60_000);

  it('FLUSHALL on every master while instances wait: the re-drive delivers them all once workers start', async () => {
    // given instances waiting for jobs of types spread over the three masters, no worker running
    const types = await typesOnDistinctMasters('cluster-flushall', 3);
    const ids = (await Promise.all(types.map(({ type }) => waitingFor(type, 4)))).flat();

    // when every master loses everything
    await Promise.all(cluster.masters.map((m) => m.client.flushall()));

    // then, workers started, every instance completes, each job once
    for (const { type } of types) t.weft.worker(type, () => ({ done: true }));
    await eventually(() => allCompleted(ids), 20_000);
    const keys = await completionsOf(ids);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
  }, 60_000);

  it('says at start when REDIS_URL names the wrong kind of Redis, or a cluster that is not there', async () => {
    // a cluster named as a cluster answers
    await checkRedis(cluster.url);
    // a cluster node named as one server would answer MOVED to most keys: refused, with the URL to write
    const port = cluster.masters[0].port;
    const asServer = await checkRedis(`redis://127.0.0.1:${port}`).catch((e) => e);
    expect(asServer).toBeInstanceOf(ConnectionError);
    expect(asServer.message).toContain(`Redis at 127.0.0.1:${port}: it is a Redis Cluster node. Name the cluster: REDIS_URL=redis-cluster://127.0.0.1:${port}`);
    // one server named as a cluster
    const asCluster = await checkRedis(TEST_REDIS_URL.replace(/^redis:/, 'redis-cluster:')).catch((e) => e);
    expect(asCluster).toBeInstanceOf(ConnectionError);
    expect(asCluster.message).toMatch(/cluster support disabled\)\. It is a single Redis server, not a cluster node: REDIS_URL=redis:\/\//);
    // no node there
    const down = await checkRedis('redis-cluster://127.0.0.1:1,127.0.0.1:2', 1000).catch((e) => e);
    expect(down.message).toContain('Cannot connect to Redis at the Redis Cluster of 127.0.0.1:1, 127.0.0.1:2');
    expect(down.message).toContain('docker compose up -d redis');
  });

  it('the other users of Redis work across it: health, the change feed (pub/sub), the /v2 long poll (a queue event stream)', async () => {
    // the health check pings the cluster
    expect((await t.api.get('/health')).status).toBe(200);

    // the change feed: a commit's instance ids come back through the cluster's pub/sub
    const heard: string[] = [];
    const stop = t.weft.changes.listen((change) => 'ids' in change && heard.push(...change.ids));
    const { id } = await t.weft.engine.startInstance({ processId: 'it-cluster-job', variables: { jobType: 'cluster-feed' } }, 'test');
    await eventually(async () => heard.includes(id), 5_000);
    stop();

    // the long poll is woken by the queue's event stream, read under the queue's hash tag (not by its 1 s re-check)
    const held = fetch(`${t.weft.url}/v2/jobs/activation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.weft.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'cluster-poll', worker: 'cluster-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 10_000 }),
    });
    await new Promise((r) => setTimeout(r, 1_100));
    await t.weft.engine.startInstance({ processId: 'it-cluster-job', variables: { jobType: 'cluster-poll' } }, 'test');
    const created = performance.now();
    const res = await held;
    expect(res.status).toBe(200);
    expect((await res.json()).jobs).toHaveLength(1);
    expect(performance.now() - created).toBeLessThan(500);
  }, 30_000);

  it('a worker of its own, on the same REDIS_URL and the REST job API, serves the same hash-tagged queue', async () => {
    // given a worker with a connection of its own, as on another host
    const connection = openRedis(cluster.url);
    const worker = createWorker('cluster-remote', () => ({ remote: true }), { client: httpJobClient(t.weft.url!, t.weft.adminToken), connection, prefix: t.config.queuePrefix });
    try {
      // when an instance needs its type
      const { id } = await t.weft.engine.startInstance({ processId: 'it-cluster-job', variables: { jobType: 'cluster-remote' } }, 'test');
      // then the worker gets the job and the instance completes
      await eventually(async () => (await t.weft.engine.getInstance(id)).state === 'COMPLETED', 10_000);
    } finally {
      await worker.close();
      await connection.quit();
    }
  }, 30_000);
});
