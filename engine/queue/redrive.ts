/**
 * Re-drives dispatched work that Redis no longer holds. Redis is a delivery
 * mechanism, not the truth: it may be flushed or restarted empty at any time.
 *
 * - A sentinel key marks "this Redis has seen our dispatches". When it is
 *   missing (first start, FLUSHALL, a restart without persistence), every
 *   ACTIVATABLE job is dispatched again under its current dispatch id.
 * - Jobs activated by a worker that never reported back (crashed, killed) are
 *   made ACTIVATABLE again once their deadline passes, under a new dispatch id.
 * - As a last net, ACTIVATABLE jobs that have waited long are checked one by
 *   one against BullMQ and re-dispatched, under a new dispatch id, when their
 *   message is missing or will not be delivered again (failed).
 */
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { Dispatch, Dispatcher } from './dispatcher.js';
import { queueForJobType } from './routing.js';
import { inSpan, traceparentOf } from '../observability/tracing/tracing.js';

const BATCH = 1000;

export class Redriver {
  constructor(
    private readonly db: Knex,
    private readonly redis: Redis,
    private readonly dispatcher: Dispatcher,
  ) {}

  private get sentinelKey(): string {
    return `${this.dispatcher.prefix}:weft:sentinel`;
  }

  /** Re-dispatches everything ACTIVATABLE when Redis lost our data; returns how many. */
  async redriveIfRedisLost(): Promise<number> {
    const fresh = await this.redis.set(this.sentinelKey, new Date().toISOString(), 'NX');
    if (fresh !== 'OK') return 0;
    try {
      return await inSpan('weft.redrive_after_redis_loss', {}, () => this.redriveAll());
    } catch (error) {
      // Not all re-driven (Redis went again, or the dispatch connection is still reconnecting):
      // without the sentinel the next check re-drives again.
      await this.redis.del(this.sentinelKey).catch(() => undefined);
      throw error;
    }
  }

  async redriveAll(): Promise<number> {
    let count = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db('jobs')
        .where({ state: 'ACTIVATABLE' })
        .andWhere('key', '>', after)
        .orderBy('key')
        .limit(BATCH)
        .select('key', 'type', 'dispatch_id', 'available_at');
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
    const rows = await this.db('jobs')
      .whereIn('key', (q) => q.select('key').from('jobs').where({ state: 'ACTIVATED' }).andWhere('deadline', '<', this.db.fn.now()).limit(BATCH))
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
