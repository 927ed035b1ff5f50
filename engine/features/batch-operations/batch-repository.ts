/**
 * The batch operations' rows: creating a batch with its items, reading them,
 * and the items' transitions. Every transition of an item goes through
 * `transition`, one statement that changes the items and the counts of their
 * batch together and only moves items out of `pending`, so each item is
 * counted once and the counts always agree with the items.
 *
 * Lock order is items, then their batch (transition), everywhere: a
 * cancellation changes the batch's row alone first and its items after.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import { scrubJson } from '../../security/redaction.js';
import type { Page } from '../../service/types.js';
import type { CreateBatchRequest } from './batch-schemas.js';
import { CANCELED_MESSAGE } from './batch-settings.js';
import { itemView, operationView, type BatchItemView, type BatchOperationView, type BatchState, type ItemState } from './batch-views.js';

export interface ClaimedItem {
  operationId: string;
  position: number;
  instanceId: string;
  /** Counting this one. */
  attempts: number;
  kind: string;
  parameters: Record<string, unknown>;
}

const COUNT_COLUMN: Record<Exclude<ItemState, 'pending'>, string> = { done: 'done', failed: 'failed', skipped: 'skipped' };

export class BatchRepository {
  constructor(private readonly db: Knex) {}

  /** Stores a batch and its items (in the caller's transaction), and audits its creation. */
  async create(trx: Knex.Transaction, req: CreateBatchRequest, instanceIds: string[], actor: string): Promise<BatchOperationView> {
    const id = randomUUID();
    const empty = instanceIds.length === 0;
    const [row] = await trx('batch_operations')
      .insert({
        id,
        kind: req.kind,
        parameters: JSON.stringify(req.parameters),
        filter: req.filter ? JSON.stringify(req.filter) : null,
        actor,
        reason: req.reason ?? null,
        // Nothing matched: the batch is done as it is made.
        state: empty ? 'COMPLETED' : 'RUNNING',
        total: instanceIds.length,
        ended_at: empty ? trx.fn.now() : null,
      })
      .returning('*');
    if (!empty) {
      await trx.raw(
        `INSERT INTO batch_operation_items (operation_id, position, instance_id)
         SELECT ?, x.ord, x.id::uuid FROM jsonb_array_elements_text(?::jsonb) WITH ORDINALITY AS x(id, ord)`,
        [id, JSON.stringify(instanceIds)],
      );
    }
    await this.audit(trx, actor, 'BATCH_OPERATION_CREATED', {
      batchOperationId: id,
      kind: req.kind,
      parameters: req.parameters,
      ...(req.filter ? { filter: req.filter } : { instanceIds: instanceIds.length }),
      reason: req.reason ?? null,
      total: instanceIds.length,
    });
    return operationView(row);
  }

  async list(filter: { state?: BatchState; kind?: string; limit: number; offset: number }): Promise<Page<BatchOperationView>> {
    const base = this.db('batch_operations').modify((q) => {
      if (filter.state) q.where({ state: filter.state });
      if (filter.kind) q.where({ kind: filter.kind });
    });
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows = await base.clone().select('*').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filter.limit).offset(filter.offset);
    return { items: rows.map(operationView), total: Number(count), limit: filter.limit, offset: filter.offset };
  }

  async get(id: string): Promise<BatchOperationView> {
    const row = await this.db('batch_operations').where({ id }).first();
    if (!row) throw new WeftError('BATCH_OPERATION_NOT_FOUND', `No batch operation with id ${id}`);
    return operationView(row);
  }

  async items(id: string, query: { itemState?: ItemState; limit: number; offset: number }): Promise<Page<BatchItemView>> {
    const base = this.db('batch_operation_items').where({ operation_id: id }).modify((q) => {
      if (query.itemState) q.where({ state: query.itemState });
    });
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows = await base.clone().select('*').orderBy('position').limit(query.limit).offset(query.offset);
    return { items: rows.map(itemView), total: Number(count), limit: query.limit, offset: query.offset };
  }

  /**
   * Claims up to `limit` pending items of running batches, oldest batch
   * first: SKIP LOCKED so engines claiming at once take different items, and
   * a lease with `token` so no other engine takes them while this one works.
   */
  async claim(token: string, limit: number, leaseMs: number): Promise<ClaimedItem[]> {
    const { rows } = await this.db.raw(
      `UPDATE batch_operation_items i
          SET attempts = i.attempts + 1, claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond', updated_at = now()
         FROM (SELECT c.operation_id, c.position
                 FROM batch_operation_items c JOIN batch_operations o ON o.id = c.operation_id
                WHERE o.state = 'RUNNING' AND c.state = 'pending' AND (c.claimed_until IS NULL OR c.claimed_until < now())
                ORDER BY o.created_at, c.operation_id, c.position
                LIMIT ?
                  FOR UPDATE OF c SKIP LOCKED) pick,
              batch_operations o
        WHERE i.operation_id = pick.operation_id AND i.position = pick.position AND o.id = i.operation_id
      RETURNING i.operation_id, i.position, i.instance_id, i.attempts, o.kind, o.parameters`,
      [token, leaseMs, limit],
    );
    return rows
      .map((r: Record<string, any>) => ({ operationId: r.operation_id, position: r.position, instanceId: r.instance_id, attempts: r.attempts, kind: r.kind, parameters: r.parameters }))
      .sort((a: ClaimedItem, b: ClaimedItem) => a.operationId.localeCompare(b.operationId) || a.position - b.position);
  }

  /** Records an item's outcome, if `token` still holds it (a claim that ran out and was taken over records nothing). */
  async finish(item: ClaimedItem, token: string, state: Exclude<ItemState, 'pending'>, message: string): Promise<boolean> {
    return (await this.transition(this.db, item.operationId, state, message, { sql: 'position = ? AND claimed_by = ?', bindings: [item.position, token] })) > 0;
  }

  /** Lets go of an item to be tried again after `delayMs` (by any engine); its attempt stays counted. */
  async retryLater(item: ClaimedItem, token: string, delayMs: number, message: string): Promise<void> {
    await this.db('batch_operation_items')
      .where({ operation_id: item.operationId, position: item.position, claimed_by: token, state: 'pending' })
      .update({ claimed_by: null, claimed_until: this.db.raw(`now() + ? * interval '1 millisecond'`, [delayMs]), message, updated_at: this.db.fn.now() });
  }

  /** Lets go of items not started (an engine stopping): no attempt was made at them. */
  async release(items: ClaimedItem[], token: string): Promise<void> {
    for (const item of items) {
      await this.db('batch_operation_items')
        .where({ operation_id: item.operationId, position: item.position, claimed_by: token, state: 'pending' })
        .update({ claimed_by: null, claimed_until: null, attempts: this.db.raw('attempts - 1') });
    }
  }

  /**
   * Stops a running batch: its state, who and when, and the audit, in one
   * transaction; then its pending items are skipped (skipPendingOfCanceled),
   * except those an engine holds: that engine skips them before it starts
   * each (BatchRunner.pass), and the one it works at this moment ends as it
   * ends.
   */
  async cancel(id: string, actor: string, reason: string | undefined): Promise<BatchOperationView> {
    await this.db.transaction(async (trx) => {
      const changed = await trx('batch_operations').where({ id, state: 'RUNNING' }).update({ state: 'CANCELED', ended_at: trx.fn.now(), canceled_by: actor }).returning('id');
      if (changed.length === 0) {
        const row = await trx('batch_operations').where({ id }).first('state');
        if (!row) throw new WeftError('BATCH_OPERATION_NOT_FOUND', `No batch operation with id ${id}`);
        throw new WeftError('BATCH_OPERATION_ENDED', `Batch operation ${id} is already ${row.state}`);
      }
      await this.audit(trx, actor, 'BATCH_OPERATION_CANCELED', { batchOperationId: id, reason: reason ?? null });
    });
    await this.skipPendingOfCanceled(id);
    return this.get(id);
  }

  /**
   * Skips the pending items of canceled batches that no engine holds (a
   * claim whose lease ran out holds nothing); for one batch, or for all
   * (what an engine's pass does, for a cancellation that stopped half-way).
   */
  async skipPendingOfCanceled(id?: string): Promise<number> {
    const batches: string[] = id
      ? [id]
      : (
          await this.db('batch_operations as o')
            .where('o.state', 'CANCELED')
            .whereExists((q) => q.select(this.db.raw('1')).from('batch_operation_items as i').whereRaw('i.operation_id = o.id').andWhere('i.state', 'pending'))
            .limit(100)
            .select('o.id')
        ).map((r: { id: string }) => r.id);
    let skipped = 0;
    for (const batch of batches) {
      skipped += await this.transition(this.db, batch, 'skipped', CANCELED_MESSAGE, { sql: '(claimed_until IS NULL OR claimed_until < now())', bindings: [] });
    }
    return skipped;
  }

  async isCanceled(id: string): Promise<boolean> {
    const row = await this.db('batch_operations').where({ id }).first('state');
    return row?.state === 'CANCELED';
  }

  /** Whether the instance's audit holds an event of `type` by `actor`. */
  async audited(instanceId: string, type: string, actor: string): Promise<boolean> {
    const row = await this.db('audit').where({ process_instance_id: instanceId, type, actor }).first('id');
    return Boolean(row);
  }

  /**
   * Moves the batch's pending items that `where` picks to `state`, and its
   * counts with them; the batch completes when no item is left pending.
   * Answers how many items moved.
   */
  private async transition(db: Knex, operationId: string, state: Exclude<ItemState, 'pending'>, message: string, where: { sql: string; bindings: Knex.RawBinding[] }): Promise<number> {
    const column = COUNT_COLUMN[state];
    const { rows } = await db.raw(
      `WITH changed AS (
         UPDATE batch_operation_items SET state = ?, message = ?, claimed_by = NULL, claimed_until = NULL, updated_at = now()
          WHERE operation_id = ? AND state = 'pending' AND ${where.sql}
         RETURNING 1
       ), n AS (SELECT count(*)::int AS n FROM changed)
       UPDATE batch_operations o
          SET ${column} = o.${column} + n.n,
              state = CASE WHEN o.state = 'RUNNING' AND o.done + o.failed + o.skipped + n.n >= o.total THEN 'COMPLETED' ELSE o.state END,
              ended_at = CASE WHEN o.state = 'RUNNING' AND o.done + o.failed + o.skipped + n.n >= o.total THEN now() ELSE o.ended_at END
         FROM n
        WHERE o.id = ? AND n.n > 0
       RETURNING n.n`,
      [state, message, operationId, ...where.bindings, operationId],
    );
    return rows[0]?.n ?? 0;
  }

  private async audit(trx: Knex.Transaction, actor: string, type: string, payload: Record<string, unknown>): Promise<void> {
    // A reason is the operator's text: scrubbed like every other sink, in case it quotes a secret.
    await trx('audit').insert({ process_instance_id: null, actor, type, payload: scrubJson(JSON.stringify(payload)) });
  }
}
