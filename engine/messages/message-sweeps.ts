/**
 * The messages' background duties, run by every engine (no leader):
 *
 * - `redeliver`: what the pass after a commit (buffered-delivery.ts) left
 *   undone, because the engine stopped between the commit and the pass or
 *   the pass failed. The invariant it restores: no open subscription has an
 *   unexpired buffered message with its name and key that was not correlated
 *   to its process, and no message start event has one for a correlation key
 *   no active instance holds. Rows younger than GRACE_MS are left to the pass
 *   in flight; both would be harmless (each delivery is checked under the
 *   message's lock), the grace only saves the work.
 * - `expire`: buffered messages past their time to live are deleted, with
 *   their correlation records, in bounded batches.
 */
import type { MessageDeps } from './publish.js';
import { deliverToSubscription, startFromBuffer } from './buffered-delivery.js';

const GRACE_MS = 2000;
const BATCH = 100;
const EXPIRE_BATCH = 1000;

export async function redeliver(deps: MessageDeps): Promise<number> {
  const now = new Date();
  const settled = new Date(now.getTime() - GRACE_MS).toISOString();
  const { rows: subscriptions } = await deps.db.raw(
    `SELECT DISTINCT s.id, s.process_instance_id, s.process_id, s.message_name, s.correlation_key
       FROM messages m
       JOIN message_subscriptions s ON s.message_name = m.name AND s.correlation_key = m.correlation_key AND s.state = 'OPEN'
      WHERE m.expires_at > ? AND s.created_at < ?
        AND NOT EXISTS (SELECT 1 FROM message_correlations c WHERE c.message_key = m.key AND c.process_id = s.process_id)
      LIMIT ?`,
    [now.toISOString(), settled, BATCH],
  );
  let delivered = 0;
  for (const s of subscriptions) {
    delivered += await deliverToSubscription(deps, { id: s.id, processInstanceId: s.process_instance_id, processId: s.process_id, messageName: s.message_name, correlationKey: s.correlation_key });
  }
  const { rows: starts } = await deps.db.raw(
    `SELECT DISTINCT e.process_id, m.correlation_key
       FROM messages m
       JOIN message_start_events e ON e.message_name = m.name
      WHERE m.expires_at > ? AND m.correlation_key <> '' AND m.published_at >= e.since AND m.published_at < ?
        AND NOT EXISTS (SELECT 1 FROM message_correlations c WHERE c.message_key = m.key AND c.process_id = e.process_id)
        AND NOT EXISTS (SELECT 1 FROM process_instances pi WHERE pi.process_id = e.process_id AND pi.start_correlation_key = m.correlation_key AND pi.status = 'ACTIVE')
      LIMIT ?`,
    [now.toISOString(), settled, BATCH],
  );
  let started = 0;
  for (const s of starts) if (await startFromBuffer(deps, s.process_id, s.correlation_key)) started++;
  return delivered + started;
}

export async function expire(deps: MessageDeps): Promise<number> {
  const { rows } = await deps.db.raw(
    `WITH gone AS (
       DELETE FROM messages WHERE key IN (SELECT key FROM messages WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING key
     ), records AS (
       DELETE FROM message_correlations WHERE message_key IN (SELECT key FROM gone)
     )
     SELECT count(*)::int AS n FROM gone`,
    [new Date().toISOString(), EXPIRE_BATCH],
  );
  return rows[0].n;
}
