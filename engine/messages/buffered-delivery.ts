/**
 * Buffered messages reaching those who could not take them when they were
 * published, after the commit that made them ready:
 *
 * - a subscription just opened takes the oldest unexpired buffered message
 *   with its name and key not yet correlated to its process (FIFO, as in
 *   Camunda 8); a non-interrupting boundary event's subscription, which stays
 *   open, takes the next one after it, until none is left;
 * - a message start event whose process just ended the instance a
 *   correlation key had started takes the oldest buffered message with that
 *   key (published after the process began to listen), starting a new
 *   instance — Camunda 8's message aggregation.
 *
 * Each runs in its own transaction, under the message's lock (message-locks.ts).
 * A crash between a commit and this pass loses nothing: the sweep
 * (message-sweeps.ts) finds what is left undone.
 */
import type { MessageOpenings, OpenedSubscription } from '../persistence/write-set.js';
import { fastTransaction } from '../persistence/fast-transaction.js';
import { Deliveries, joinStatements, type DeliveredMessage, type StartEventRow } from './deliveries.js';
import { lockStatement, messageLock, readUnderLocks, startLock } from './message-locks.js';
import { ACTIVE_WITH_START_KEY } from './message-start-events.js';
import type { MessageDeps } from './publish.js';
import { retryConflicts } from './publish.js';
import { inSpan } from '../observability/tracing/tracing.js';

/** Buffered messages one non-interrupting subscription takes in one pass; the sweep goes on with the rest. */
const PER_PASS = 100;

export async function deliverBuffered(deps: MessageDeps, openings: MessageOpenings): Promise<void> {
  if (openings.subscriptions.length > 0) {
    const pairs = [...new Map(openings.subscriptions.map((s) => [messageLock(s.messageName, s.correlationKey), [s.messageName, s.correlationKey]])).values()];
    // Under the locks, a publish in flight for one of these has committed: its buffered message is seen, or it saw the subscription.
    const waiting = await readUnderLocks<{ name: string; correlation_key: string }>(
      deps.db,
      pairs.map(([name, key]) => messageLock(name, key)),
      `SELECT DISTINCT name, correlation_key FROM messages
        WHERE expires_at > ? AND (name, correlation_key) IN (SELECT x->>0, x->>1 FROM jsonb_array_elements(?::jsonb) x)`,
      [new Date().toISOString(), JSON.stringify(pairs)],
    );
    const buffered = new Set(waiting.map((w) => messageLock(w.name, w.correlation_key)));
    for (const subscription of openings.subscriptions) {
      if (buffered.has(messageLock(subscription.messageName, subscription.correlationKey))) await deliverToSubscription(deps, subscription);
    }
  }
  for (const freed of openings.freedStartKeys) await startFromBuffer(deps, freed.processId, freed.correlationKey);
}

/** Hands buffered messages to one subscription, oldest first, while it stays open (non-interrupting) and one is left; how many it took. */
export function deliverToSubscription(deps: MessageDeps, subscription: OpenedSubscription): Promise<number> {
  return inSpan('weft.deliver_buffered_messages', { 'weft.message_name': subscription.messageName }, () => takeBuffered(deps, subscription));
}

async function takeBuffered(deps: MessageDeps, subscription: OpenedSubscription): Promise<number> {
  let taken = 0;
  while (taken < PER_PASS) {
    const delivered = await retryConflicts(deps.logger, async () => {
      const now = new Date();
      const lock = lockStatement(messageLock(subscription.messageName, subscription.correlationKey));
      const outcome = await fastTransaction(deps.db, lock, async (_rows, tx) => {
        const deliveries = new Deliveries(tx, deps.definitions, now);
        await deliveries.lock([subscription.processInstanceId]);
        const [open] = await tx.query(`SELECT element_id, interrupting FROM message_subscriptions WHERE id = ? AND state = 'OPEN'`, [subscription.id]);
        if (!open) return { result: null };
        const [message] = await tx.query(
          `SELECT key, variables, published_by FROM messages m
            WHERE name = ? AND correlation_key = ? AND expires_at > ?
              AND NOT EXISTS (SELECT 1 FROM message_correlations c WHERE c.message_key = m.key AND c.process_id = ?)
            ORDER BY seq LIMIT 1`,
          [subscription.messageName, subscription.correlationKey, now.toISOString(), subscription.processId],
        );
        if (!message) return { result: null };
        const delivered: DeliveredMessage = { key: message.key, correlationKey: subscription.correlationKey, variables: message.variables, buffered: true };
        const row = { id: subscription.id, process_instance_id: subscription.processInstanceId, process_id: subscription.processId, element_id: open.element_id };
        if (!(await deliveries.correlate(row, delivered, publisherOf(message)))) return { result: null };
        return { result: { deliveries, interrupting: open.interrupting as boolean }, finalSql: joinStatements(deliveries.finalStatements()) };
      });
      if (!outcome) return null;
      await deps.path.committed(outcome.deliveries.outbox, outcome.deliveries.openings, outcome.deliveries.notifications, [], outcome.deliveries.tallies, outcome.deliveries.changedInstances());
      return { again: !outcome.interrupting };
    });
    if (!delivered) return taken;
    taken++;
    if (!delivered.again) return taken;
  }
  return taken;
}

/**
 * Starts an instance at a message start event of `processId` from the oldest
 * buffered message with `correlationKey`, if none of its instances started by
 * that key is active any more. One start: that instance now holds the key.
 */
export function startFromBuffer(deps: MessageDeps, processId: string, correlationKey: string): Promise<boolean> {
  return inSpan('weft.start_from_buffered_message', { 'weft.process_id': processId }, () => startFromBufferHere(deps, processId, correlationKey));
}

async function startFromBufferHere(deps: MessageDeps, processId: string, correlationKey: string): Promise<boolean> {
  const names = (await deps.db('message_start_events').where({ process_id: processId }).orderBy('message_name').select('message_name')).map((r) => r.message_name as string);
  for (const name of names) {
    const started = await retryConflicts(deps.logger, async () => {
      const now = new Date();
      const outcome = await fastTransaction(deps.db, lockStatement(messageLock(name, correlationKey)), async (_rows, tx) => {
        const lock = lockStatement(startLock(processId, correlationKey));
        await tx.query(lock.sql, lock.bindings);
        if ((await tx.query(ACTIVE_WITH_START_KEY, [processId, correlationKey])).length > 0) return { result: null };
        // Read again under the lock: a deployment may have replaced the start event since.
        const [event] = await tx.query<StartEventRow & { since: Date }>('SELECT process_id, definition_key, element_id, since FROM message_start_events WHERE process_id = ? AND message_name = ?', [processId, name]);
        if (!event) return { result: null };
        const [message] = await tx.query(
          `SELECT key, variables, published_by FROM messages m
            WHERE name = ? AND correlation_key = ? AND expires_at > ? AND published_at >= ?
              AND NOT EXISTS (SELECT 1 FROM message_correlations c WHERE c.message_key = m.key AND c.process_id = ?)
            ORDER BY seq LIMIT 1`,
          [name, correlationKey, now.toISOString(), new Date(event.since).toISOString(), processId],
        );
        if (!message) return { result: null };
        const deliveries = new Deliveries(tx, deps.definitions, now);
        await deliveries.start(event, { key: message.key, correlationKey, variables: message.variables, buffered: true }, publisherOf(message));
        return { result: deliveries, finalSql: joinStatements(deliveries.finalStatements()) };
      });
      if (!outcome) return false;
      await deps.path.committed(outcome.outbox, outcome.openings, outcome.notifications, [], outcome.tallies, outcome.changedInstances());
      return true;
    });
    if (started) return true;
  }
  return false;
}


/** A buffered message is delivered on behalf of whoever published it: the audit says so. */
function publisherOf(message: Record<string, any>): string {
  return message.published_by ?? 'engine';
}
