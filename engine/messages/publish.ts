/**
 * Publishing a message, in one transaction under its (name, correlation key)
 * lock, with Camunda 8's semantics:
 *
 * 1. A messageId already buffered under the same name and key: answered as a
 *    duplicate (the first message's key), nothing delivered.
 * 2. Open subscriptions matching name and key, oldest first: one per process
 *    (BPMN id) is correlated — a message reaches a process once. A candidate
 *    whose instance moved on before its lock gives way to the next one.
 * 3. Message start events of the latest versions of the processes not reached
 *    yet start an instance each; with a correlation key, not while an
 *    instance of that process started by the same key is active.
 * 4. With a time to live, the message is kept (and its correlations
 *    recorded) for subscriptions opened before it expires.
 *
 * The outbox and the message openings of the steps follow the commit.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Knex } from 'knex';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import { fastTransaction, type FastTransaction } from '../persistence/fast-transaction.js';
import type { CommandPath } from '../service/command-path.js';
import { Deliveries, joinStatements, type DeliveredMessage, type LockedRow, type StartEventRow, type SubscriptionRow } from './deliveries.js';
import { lockStatement, messageLock, startLock } from './message-locks.js';
import { ACTIVE_WITH_START_KEY, START_EVENTS_FOR } from './message-start-events.js';
import type { PublishMessageRequest, PublishMessageResult } from './message-types.js';

export interface MessageDeps {
  db: Knex;
  definitions: DefinitionRepository;
  path: Pick<CommandPath, 'committed'>;
  logger: Logger;
}

/** Rounds of candidates per publish: a further round only when every candidate of a process moved on under us. */
const MAX_ROUNDS = 8;

export async function publishMessage(deps: MessageDeps, req: PublishMessageRequest, actor: string): Promise<PublishMessageResult> {
  return retryConflicts(deps.logger, async () => {
    const now = new Date();
    const ttl = req.timeToLiveMs ?? 0;
    const message: DeliveredMessage & { name: string } = {
      key: randomUUID(),
      name: req.name,
      correlationKey: req.correlationKey ?? '',
      variables: req.variables ?? {},
      buffered: ttl > 0,
    };
    const expiresAt = message.buffered ? new Date(now.getTime() + ttl).toISOString() : null;
    type Outcome = { duplicateOf: { key: string; expires_at: Date } } | { deliveries: Deliveries };
    const outcome = await fastTransaction<Outcome>(deps.db, opening(message, req.messageId), async (_rows, tx, [candidates, startEvents, earlierRows]) => {
      const before: { sql: string; bindings: Knex.RawBinding[] }[] = [];
      const [earlier] = earlierRows ?? [];
      if (earlier && new Date(earlier.expires_at) > now) return { result: { duplicateOf: earlier as { key: string; expires_at: Date } } };
      // Expired but not yet swept: it would hold the id's unique index.
      if (earlier) before.push({ sql: 'DELETE FROM messages WHERE key = ?', bindings: [earlier.key] }, { sql: 'DELETE FROM message_correlations WHERE message_key = ?', bindings: [earlier.key] });
      const deliveries = new Deliveries(tx, deps.definitions, now);
      const reached = await correlateToSubscriptions(tx, deliveries, message, actor, candidates as (SubscriptionRow & LockedRow)[]);
      await startProcesses(tx, deliveries, message, reached, actor, startEvents as StartEventRow[]);
      const statements = [...before, ...deliveries.finalStatements()];
      if (message.buffered) {
        statements.push({
          sql: `INSERT INTO messages (key, name, correlation_key, variables, message_id, published_by, published_at, expires_at) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?)`,
          bindings: [message.key, message.name, message.correlationKey, JSON.stringify(message.variables), req.messageId ?? null, actor, now.toISOString(), expiresAt],
        });
      }
      return { result: { deliveries }, finalSql: joinStatements(statements) };
    });
    if ('duplicateOf' in outcome) {
      const { key, expires_at } = outcome.duplicateOf;
      return { messageKey: key, duplicate: true, correlated: [], started: [], buffered: true, expiresAt: new Date(expires_at).toISOString(), dropped: false };
    }
    const { deliveries } = outcome;
    await deps.path.committed(deliveries.outbox, deliveries.openings);
    const { correlated, started } = deliveries;
    return {
      messageKey: message.key,
      duplicate: false,
      correlated,
      started,
      buffered: message.buffered,
      expiresAt,
      dropped: !message.buffered && correlated.length === 0 && started.length === 0,
    };
  });
}

/**
 * What a publish reads first, in the round trip that takes its lock (each
 * statement's snapshot follows the lock): the oldest open subscription of
 * each process matching name and key with its instance locked (in id order),
 * the message start events for the name, and a buffered message with the
 * same messageId.
 */
function opening(message: { name: string; correlationKey: string }, messageId: string | undefined): { sql: string; bindings: Knex.RawBinding[] } {
  const lock = lockStatement(messageLock(message.name, message.correlationKey));
  const statements = [lock.sql, CANDIDATES_LOCKED, START_EVENTS_FOR];
  const bindings: Knex.RawBinding[] = [...lock.bindings, message.name, message.correlationKey, '[]', '[]', message.name];
  if (messageId !== undefined) {
    statements.push('SELECT key, expires_at FROM messages WHERE name = ? AND correlation_key = ? AND message_id = ?');
    bindings.push(message.name, message.correlationKey, messageId);
  }
  return { sql: statements.join(';\n'), bindings };
}

/**
 * The oldest open subscription per process for a name and key, but for the
 * processes and subscriptions excluded, with its instance locked.
 */
const CANDIDATES_LOCKED = `SELECT s.id, s.process_instance_id, s.process_id, s.element_id, pi.state, pi.definition_key
   FROM process_instances pi
   JOIN (SELECT DISTINCT ON (process_id) id, process_instance_id, process_id, element_id FROM message_subscriptions
          WHERE message_name = ? AND correlation_key = ? AND state = 'OPEN'
            AND process_id NOT IN (SELECT jsonb_array_elements_text(?::jsonb))
            AND id NOT IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid)
          ORDER BY process_id, created_at, id) s ON s.process_instance_id = pi.id
  ORDER BY pi.id FOR UPDATE OF pi`;

/**
 * Correlates to one open subscription per process; returns the processes
 * reached. A candidate whose instance moved on before its lock gives way to
 * the next subscription of its process, in a further round.
 */
async function correlateToSubscriptions(
  tx: FastTransaction,
  deliveries: Deliveries,
  message: DeliveredMessage & { name: string },
  actor: string,
  first: (SubscriptionRow & LockedRow)[],
): Promise<Set<string>> {
  const reached = new Set<string>();
  const tried: string[] = [];
  let candidates = first;
  for (let round = 1; candidates.length > 0; round++) {
    deliveries.locked(candidates);
    for (const candidate of [...candidates].sort(byProcess)) {
      tried.push(candidate.id);
      if (await deliveries.correlate(candidate, message, actor)) reached.add(candidate.process_id);
    }
    if (candidates.every((c) => reached.has(c.process_id)) || round >= MAX_ROUNDS) break;
    candidates = await tx.query<SubscriptionRow & LockedRow>(CANDIDATES_LOCKED, [message.name, message.correlationKey, JSON.stringify([...reached]), JSON.stringify(tried)]);
  }
  return reached;
}

const byProcess = (a: SubscriptionRow, b: SubscriptionRow) => (a.process_id < b.process_id ? -1 : a.process_id > b.process_id ? 1 : 0);

/** Starts the processes whose message start events listen to the name, but those the message reached already. */
async function startProcesses(tx: FastTransaction, deliveries: Deliveries, message: DeliveredMessage & { name: string }, reached: Set<string>, actor: string, events: StartEventRow[]): Promise<void> {
  for (const event of events.filter((e) => !reached.has(e.process_id))) {
    if (message.correlationKey !== '') {
      const lock = lockStatement(startLock(event.process_id, message.correlationKey));
      await tx.query(lock.sql, lock.bindings);
      if ((await tx.query(ACTIVE_WITH_START_KEY, [event.process_id, message.correlationKey])).length > 0) continue;
    }
    await deliveries.start(event, message, actor);
  }
}

/**
 * Two transactions that lock rows in different orders (a round's fallback
 * candidates), or two starts racing past different message locks, can meet:
 * Postgres aborts one, and it is run again from the start.
 */
export async function retryConflicts<T>(logger: Logger, work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      const transient = code === '40P01' || code === '40001' || (code === '23505' && (error as { constraint?: string }).constraint === 'process_instances_message_start_idx');
      if (!transient || attempt >= attempts) throw error;
      logger.debug({ err: error, attempt }, 'message delivery met a concurrent one; running it again');
    }
  }
}
