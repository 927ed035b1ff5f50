/**
 * The transactional outbox, relayed to BullMQ.
 *
 * Right after a transaction commits, the engine relays the rows it wrote
 * (`relay`). Anything that did not make it — the process died between commit
 * and enqueue, Redis was down — is picked up by `sweep`, which any engine
 * process may run: rows are claimed with FOR UPDATE SKIP LOCKED, so two
 * engines never relay the same row at once, and a row relayed twice is
 * enqueued once anyway (job id = row id).
 */
import type { Knex } from 'knex';
import type { Dispatch, Dispatcher } from './dispatcher.js';
import { sizedUuids } from '../persistence/sized-rows.js';

export class OutboxRelay {
  /** Rows relayed but not yet deleted: deletes are batched off the hot path. */
  private relayed: string[] = [];
  private flushing: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Knex,
    private readonly dispatcher: Dispatcher,
    flushMs = 100,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushMs);
    this.timer.unref();
  }

  /** Relays rows just committed; on failure they stay for the sweep. */
  async relay(rows: Dispatch[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dispatcher.dispatch(rows, { timeoutMs: this.dispatcher.requestTimeoutMs });
    for (const row of rows) this.relayed.push(row.id);
    if (this.relayed.length >= 1000) void this.flush().catch(() => undefined);
  }

  /** Deletes relayed rows (a row deleted late is at worst relayed again: same job id, enqueued once). */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.relayed.length === 0) return;
    const ids = this.relayed;
    this.relayed = [];
    this.flushing = (async () => {
      try {
        await this.db.raw(`DELETE FROM outbox WHERE id IN ${sizedUuids(ids.length)}`, [JSON.stringify(ids)]);
      } catch (error) {
        this.relayed.push(...ids);
        throw error;
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  /**
   * Relays rows older than `minAgeMs` (younger ones are being relayed by the
   * engine that wrote them). Returns how many were relayed.
   */
  async sweep(minAgeMs = 2000, batch = 500): Promise<number> {
    return this.db.transaction(async (trx) => {
      const rows = await trx('outbox')
        .where('created_at', '<', new Date(Date.now() - minAgeMs))
        .orderBy('created_at')
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .select('id', 'queue', 'payload', 'available_at');
      if (rows.length === 0) return 0;
      await this.dispatcher.dispatch(rows.map((r) => ({ id: r.id, queue: r.queue, payload: r.payload, availableAt: r.available_at })));
      await trx('outbox').whereIn('id', rows.map((r) => r.id)).delete();
      return rows.length;
    });
  }
}
