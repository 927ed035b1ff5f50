/**
 * The statements on `signal_broadcasts`, `signal_subscriptions` and
 * `signal_start_events` that are delivery's own (a step's subscriptions and
 * broadcasts are written with its effects, effect-applier.ts). Each is
 * `{ sql, bindings }` with `?` placeholders, for the fast transaction.
 */
import type { Variables } from '../runtime/types.js';
import type { Statement } from '../timers/timer-rows.js';

/** Instances a signal is delivered to in one transaction. */
export const SIGNAL_BATCH = 250;

/**
 * The seq of the last subscription opened so far (0 before the first), read
 * when a broadcast is written: it reaches subscriptions up to there. The
 * sequence is not transactional, so a subscription whose step is committing
 * at that very moment may fall on either side — it was neither before nor
 * after the signal.
 */
export const SUBSCRIPTION_CUTOFF = '(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM signal_subscription_seq)';

export interface BroadcastRow {
  key: string;
  name: string;
  variables: Variables;
  /** The instance that threw it (its own catchers got it in its step); null for a broadcast through the API. */
  source_instance_id: string | null;
  /** A bigint, as text. */
  cutoff: string;
  /** Instances up to this id have had it; null while no batch has committed (the start events are still to start). */
  after_instance: string | null;
}

const COLUMNS = `key, name, variables, source_instance_id, after_instance, COALESCE(cutoff, ${SUBSCRIPTION_CUTOFF}) AS cutoff`;
/** Below every instance id: where a delivery starts. */
const NO_INSTANCE = '00000000-0000-0000-0000-000000000000';

/** A signal broadcast through the API (no source instance). */
export function insertBroadcast(key: string, name: string, variables: Variables, now: Date): Statement {
  return {
    sql: `INSERT INTO signal_broadcasts (key, name, variables, source_instance_id, created_at, cutoff) VALUES (?, ?, ?::jsonb, NULL, ?, ${SUBSCRIPTION_CUTOFF})`,
    bindings: [key, name, JSON.stringify(variables), now],
  };
}

/**
 * Takes the broadcast for one batch. SKIP LOCKED: while another engine
 * delivers a batch of it, this one leaves it alone. A row written without a
 * cutoff (an older row) gets it now.
 */
export function claimBroadcast(key: string): Statement {
  return { sql: `SELECT ${COLUMNS} FROM signal_broadcasts WHERE key = ? FOR UPDATE SKIP LOCKED`, bindings: [key] };
}

/**
 * Locks the next `limit` instances that wait for the signal (a subscription
 * opened before it, not the instance that threw it), in id order: every
 * path that locks several instances locks them in id order, so none
 * deadlocks with another. No SKIP LOCKED: an instance busy with a command is
 * waited for, not passed over — it must get the signal.
 */
export function lockWaiting(broadcast: BroadcastRow, limit: number): Statement {
  return {
    sql: `SELECT id, state, revision, definition_key FROM process_instances
           WHERE id IN (SELECT DISTINCT process_instance_id FROM signal_subscriptions
                         WHERE signal_name = ? AND seq <= ? AND process_instance_id > ?::uuid AND process_instance_id IS DISTINCT FROM ?::uuid
                         ORDER BY process_instance_id LIMIT ?)
           ORDER BY id FOR UPDATE`,
    bindings: [broadcast.name, broadcast.cutoff, broadcast.after_instance ?? NO_INSTANCE, broadcast.source_instance_id, limit],
  };
}

/** The signal start events of that name (latest versions only: the deploy hook keeps the table so). */
export function startEventsNamed(name: string): Statement {
  return { sql: 'SELECT process_id, definition_key, element_id FROM signal_start_events WHERE signal_name = ? ORDER BY process_id', bindings: [name] };
}

/** A batch that left instances to deliver to records how far it came. */
export function recordProgress(broadcast: BroadcastRow, lastInstance: string, now: Date): Statement {
  return {
    sql: 'UPDATE signal_broadcasts SET cutoff = ?, after_instance = ?, progressed_at = ? WHERE key = ?',
    bindings: [broadcast.cutoff, lastInstance, now, broadcast.key],
  };
}

/** The last batch deletes the broadcast: it is delivered. */
export function deleteBroadcast(key: string): Statement {
  return { sql: 'DELETE FROM signal_broadcasts WHERE key = ?', bindings: [key] };
}

/** Broadcasts no batch has touched since `before`: left behind by an engine that stopped (or failed) delivering them. */
export function leftBehind(before: Date, limit: number): Statement {
  return {
    sql: 'SELECT key FROM signal_broadcasts WHERE COALESCE(progressed_at, created_at) < ? ORDER BY created_at LIMIT ?',
    bindings: [before, limit],
  };
}
