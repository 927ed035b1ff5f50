/**
 * Re-drives dispatched work that Redis no longer holds. Redis is a delivery
 * mechanism, not the truth: it may be flushed or restarted empty at any time.
 *
 * - A sentinel key marks "this Redis has seen our dispatches". When it is
 *   missing (first start, FLUSHALL, a restart without persistence), every
 *   ACTIVATABLE job is dispatched again under its current dispatch id.
 *   On a Redis Cluster there is one sentinel per queue, in the queue's own
 *   slot (keyspace.ts), and a missing one re-drives that queue's jobs. A
 *   cluster can lose part of its data: one master flushed or restarted empty,
 *   a failover to a replica that had not caught up, a slot moved to a node
 *   that never got its keys. A single sentinel lives on one slot and would
 *   see only the loss of its own master; one per master would have to follow
 *   which slots each master serves as the cluster reshards. A sentinel in the
 *   queue's slot shares the fate of the queue's keys whatever happens to the
 *   slot, so it is missing exactly when that queue's messages may be.
 * - Jobs activated by a worker that never reported back (crashed, killed) are
 *   made ACTIVATABLE again once their deadline passes, under a new dispatch id.
 * - As a last net, ACTIVATABLE jobs that have waited long are checked one by
 *   one against BullMQ and re-dispatched, under a new dispatch id, when their
 *   message is missing or will not be delivered again (failed).
 */
import type { Knex } from 'knex';
import type { RedisClient } from './redis.js';
import type { Dispatch, Dispatcher } from './dispatcher.js';
import { queueForJobType } from './routing.js';
import { inSpan, traceparentOf } from '../observability/tracing/tracing.js';
import { sentinelKey } from './keyspace.js';
import { knownJobTypes } from './known-queues.js';

const BATCH = 1000;
/**
 * Job types whose queues' sentinels a cluster look checks (one SET NX per
 * queue, every few seconds): past this many, the rest are left to
 * redriveMissing, which finds lost messages one by one.
 */
export const MAX_SENTINEL_TYPES = 1000;

export class Redriver {
  constructor(
    private readonly db: Knex,
    private readonly redis: RedisClient,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Re-dispatches what Redis lost our data of (everything ACTIVATABLE, or a cluster queue's jobs); returns how many. */
  async redriveIfRedisLost(): Promise<number> {
    const prefix = this.dispatcher.prefix;
    if (!this.redis.isCluster) return this.redriveIfLost([{ key: sentinelKey(prefix, this.redis) }]);
    const typesByQueue = new Map<string, string[]>();
    for (const type of await knownJobTypes(this.db, MAX_SENTINEL_TYPES)) {
      const queue = queueForJobType(type);
      typesByQueue.set(queue, [...(typesByQueue.get(queue) ?? []), type]);
    }
    return this.redriveIfLost([...typesByQueue].map(([queue, types]) => ({ key: sentinelKey(prefix, this.redis, queue), types })));
  }

  /** Sets each sentinel if missing; re-drives the jobs (of `types`, or all) of each one that was. */
  private async redriveIfLost(sentinels: { key: string; types?: string[] }[]): Promise<number> {
    const now = new Date().toISOString();
    const set = await Promise.all(sentinels.map((s) => this.redis.set(s.key, now, 'NX')));
    const lost = sentinels.filter((_, i) => set[i] === 'OK');
    let count = 0;
    for (const [i, sentinel] of lost.entries()) {
      try {
        count += await inSpan('weft.redrive_after_redis_loss', {}, () => this.redriveAll(sentinel.types));
      } catch (error) {
        // Not all re-driven (Redis went again, or the dispatch connection is still reconnecting):
        // without their sentinels the next check re-drives these again.
        await Promise.all(lost.slice(i).map((s) => this.redis.del(s.key).catch(() => undefined)));
        throw error;
      }
    }
    return count;
  }

  /** Dispatches again every ACTIVATABLE job (of `types` only, when given); returns how many. */
  async redriveAll(types?: readonly string[]): Promise<number> {
    let count = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const query = this.db('jobs').where({ state: 'ACTIVATABLE' });
      if (types) query.whereIn('type', types);
      const rows = await query.andWhere('key', '>', after).orderBy('key').limit(BATCH).select('key', 'type', 'dispatch_id', 'available_at');
      if (rows.length === 0) return count;
      await this.dispatcher.dispatch(rows.map(toDispatch));
      count += rows.length;
      after = rows[rows.length - 1].key;
    }
  }

  /** Hands out again jobs whose worker let the deadline pass. */
  async requeueTimedOut(): Promise<number> {
    // While Redis is down, leave them be: re-dispatched ids that never arrive would wait for redriveMissing.
    if (!this.dispatcher.ready) return 0;
    // The jobs are locked where they are chosen, passing by those a transaction holds: a late worker's
    // completion may be about to commit. Chosen unlocked, a job would be re-checked by key only once that
    // commit let the update through, and a COMPLETED job would be made ACTIVATABLE and handed out again.
    const rows = await this.db('jobs')
      .whereIn('key', (q) => q.select('key').from('jobs').where({ state: 'ACTIVATED' }).andWhere('deadline', '<', this.db.fn.now()).limit(BATCH).forUpdate().skipLocked())
      .update({ state: 'ACTIVATABLE', worker_id: null, deadline: null, dispatch_id: this.db.raw('gen_random_uuid()'), available_at: this.db.fn.now() })
      .returning(['key', 'type', 'dispatch_id', 'available_at']);
    if (rows.length > 0) await this.dispatchTraced('weft.requeue_timed_out_jobs', rows);
    return rows.length;
  }

  /** Checks long-waiting ACTIVATABLE jobs against BullMQ; re-dispatches the missing ones. */
  async redriveMissing(olderThanMs = 30_000, limit = 200): Promise<number> {
    const rows = await this.db('jobs')
      .where({ state: 'ACTIVATABLE' })
      .andWhere('available_at', '<', new Date(Date.now() - olderThanMs))
      .orderBy('available_at')
      .limit(limit)
      .select('key', 'type', 'dispatch_id', 'available_at');
    const missing: string[] = [];
    for (const row of rows) {
      const dispatch = toDispatch(row);
      if (!(await this.dispatcher.holds(dispatch.queue, dispatch.id))) missing.push(row.dispatch_id);
    }
    if (missing.length === 0) return 0;
    // A new dispatch id: BullMQ ignores a job id it still keeps (a failed message), so the old one cannot be reused.
    const redispatched = await this.db('jobs')
      .where({ state: 'ACTIVATABLE' })
      .whereIn('dispatch_id', missing)
      .update({ dispatch_id: this.db.raw('gen_random_uuid()'), updated_at: this.db.fn.now() })
      .returning(['key', 'type', 'dispatch_id', 'available_at']);
    if (redispatched.length > 0) await this.dispatchTraced('weft.redispatch_missing_jobs', redispatched);
    return redispatched.length;
  }

  /** Dispatches again in a span of its own (tracing on): the jobs' original traces are not kept on their rows, so their handling is traced from here. */
  private dispatchTraced(name: string, rows: Parameters<typeof toDispatch>[0][]): Promise<void> {
    return inSpan(name, { 'weft.job_count': rows.length }, () => this.dispatcher.dispatch(rows.map(toDispatch)));
  }
}

function toDispatch(row: { key: string; type: string; dispatch_id: string; available_at: Date }): Dispatch {
  const traceparent = traceparentOf();
  return { id: row.dispatch_id, queue: queueForJobType(row.type), payload: traceparent ? { jobKey: row.key, traceparent } : { jobKey: row.key }, availableAt: row.available_at };
}
