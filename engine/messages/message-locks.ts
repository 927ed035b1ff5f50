/**
 * Transaction-scoped advisory locks that serialise everything that matches
 * one message name and correlation key, across engine processes:
 *
 * - a publish holds `messageLock(name, key)` for its whole transaction;
 * - a pass that looks for buffered messages on behalf of a subscription just
 *   opened takes the same lock first, so it waits for a publish in flight and
 *   then sees its buffered message (or the publish saw the subscription);
 * - `startLock(process, key)` (taken last, nothing after it) serialises the
 *   "one active instance per correlation key" check of message start events
 *   whose names differ.
 *
 * Order, so no two transactions wait on each other: message locks (sorted,
 * when several) → instance row locks → the start lock. A step holding an
 * instance lock never takes a message lock.
 */
import type { Knex } from 'knex';
import type pg from 'pg';
import { inline } from '../persistence/fast-transaction.js';

export function messageLock(name: string, correlationKey: string): string {
  return `weft.message:${JSON.stringify([name, correlationKey])}`;
}

export function startLock(processId: string, correlationKey: string): string {
  return `weft.message-start:${JSON.stringify([processId, correlationKey])}`;
}

/** Takes one lock (a statement of its own: a statement's snapshot predates its lock wait). */
export function lockStatement(lock: string): { sql: string; bindings: string[] } {
  return { sql: 'SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', bindings: [lock] };
}

/**
 * Takes `locks` (in one order for everyone) and then runs `sql`, in one
 * round trip: a read that must not miss what a publish in flight commits.
 */
export async function readUnderLocks<R = Record<string, any>>(db: Knex, locks: string[], sql: string, bindings: readonly Knex.RawBinding[]): Promise<R[]> {
  const sorted = [...new Set(locks)].sort();
  const client = db.client as { acquireConnection(): Promise<pg.Client>; releaseConnection(c: pg.Client): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    const take = inline(conn, 'SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT jsonb_array_elements_text(?::jsonb) AS k ORDER BY 1) x', [JSON.stringify(sorted)]);
    const results = (await conn.query(`BEGIN; ${take}; ${inline(conn, sql, bindings)}; COMMIT`)) as unknown as pg.QueryResult[];
    return results[2].rows as R[];
  } catch (error) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.releaseConnection(conn);
  }
}
