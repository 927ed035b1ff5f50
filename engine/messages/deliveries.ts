/**
 * What one transaction delivers of messages: correlations to waiting
 * instances (locked here, in id order) and instances started at message
 * start events, stepped with the pure core and gathered into one final
 * statement with the correlation records. Used by a publish and by the
 * passes that hand buffered messages to later subscribers.
 */
import { loadState } from '../persistence/instance-store.js';
import { sizedUuids } from '../persistence/sized-rows.js';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { InstanceState, Variables } from '../runtime/types.js';
import { startInstance, step } from '../runtime/step.js';
import { effectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import type { FastTransaction } from '../persistence/fast-transaction.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import { context, rejectionError } from '../service/command-path.js';
import { startChildren, type ChildWrites } from '../calls/child-starts.js';

export interface DeliveredMessage {
  key: string;
  correlationKey: string;
  variables: Variables;
  /** Kept in `messages` for later subscribers: its correlations are recorded so it reaches each process once. */
  buffered: boolean;
}

/** An open subscription row, as the queries here select it. */
export interface SubscriptionRow {
  id: string;
  process_instance_id: string;
  process_id: string;
  element_id: string;
}

/** What a query that locked an instance row selected of it. */
export interface LockedRow {
  /** The instance row's header document (instance-store.ts); the full state is read when a message reaches it. */
  state: InstanceState;
  revision?: string;
  definition_key: string;
}

export interface StartEventRow {
  process_id: string;
  definition_key: string;
  element_id: string;
}

type Statement = { sql: string; bindings: readonly Knex.RawBinding[] };

export class Deliveries {
  readonly statements: Statement[] = [];
  readonly outbox: OutboxRow[] = [];
  readonly openings: MessageOpenings[] = [];
  /** Notes to other instances the steps wrote (call activities), to deliver after the commit. */
  readonly notifications: string[] = [];
  /** What the steps count for the metrics, once committed. */
  readonly tallies: CommitTally[] = [];
  readonly correlated: { processInstanceId: string; processId: string; elementId: string }[] = [];
  readonly started: { processInstanceId: string; processId: string; elementId: string }[] = [];

  /** The instances this delivery changed or started (told after commit: CommandPath.onChanged). */
  changedInstances(): string[] {
    return [...new Set([...this.correlated, ...this.started].map((d) => d.processInstanceId))];
  }
  private readonly records: { message_key: string; process_id: string; process_instance_id: string; element_id: string }[] = [];
  private readonly instances = new Map<string, { row: { id: string; state: InstanceState; revision?: string }; state?: InstanceState; definitionKey: string }>();

  constructor(
    private readonly tx: FastTransaction,
    private readonly definitions: DefinitionRepository,
    private readonly now: Date,
  ) {}

  /** Locks the instances not locked yet, in id order (as every multi-instance lock in the engine does). */
  async lock(ids: string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.instances.has(id));
    if (wanted.length === 0) return;
    const rows = await this.tx.query<LockedRow & { process_instance_id: string }>(
      `SELECT id AS process_instance_id, state, revision, definition_key FROM process_instances WHERE id IN ${sizedUuids(wanted.length)} ORDER BY id FOR UPDATE`,
      [JSON.stringify(wanted)],
    );
    this.locked(rows);
  }

  /** Instances a query has locked already, by `process_instance_id` (a publish locks its candidates' in the query that selects them). */
  locked(rows: (LockedRow & { process_instance_id: string })[]): void {
    for (const row of rows) {
      if (!this.instances.has(row.process_instance_id)) {
        this.instances.set(row.process_instance_id, { row: { id: row.process_instance_id, state: row.state, revision: row.revision }, definitionKey: row.definition_key });
      }
    }
  }

  /**
   * Correlates `message` to a subscription of a locked instance; false when
   * the instance no longer waits there (it moved on before the lock).
   */
  async correlate(subscription: SubscriptionRow, message: DeliveredMessage, actor: string): Promise<boolean> {
    const instance = this.instances.get(subscription.process_instance_id);
    if (!instance) return false;
    const { model } = await this.definitions.byKey(instance.definitionKey, (sql, bindings) => this.tx.query(sql, bindings));
    instance.state ??= await loadState((sql, bindings) => this.tx.query(sql, bindings as Knex.RawBinding[]), instance.row as never);
    const stepped = step(model, instance.state, { type: 'CORRELATE_MESSAGE', subscriptionId: subscription.id, messageKey: message.key, variables: message.variables }, context(this.now, actor));
    if (!stepped.ok) {
      if (stepped.rejection.code === 'SUBSCRIPTION_NOT_OPEN' || stepped.rejection.code === 'INSTANCE_NOT_ACTIVE') return false;
      throw rejectionError(stepped.rejection);
    }
    // Two messages of one batch may reach one instance: the second steps on the first's state, and its
    // statement, written after the first's, leaves the state both made.
    const ctx = context(this.now, actor);
    const resolved = await startChildren((sql, bindings) => this.tx.query(sql, bindings as Knex.RawBinding[]), this.definitions, model, stepped, ctx);
    instance.state = resolved.state;
    this.write(effectsStatement(resolved.state, resolved.effects, { actor, now: this.now, childStartsHandled: true }), resolved);
    this.record(message, subscription.process_id, subscription.process_instance_id, subscription.element_id);
    this.correlated.push({ processInstanceId: subscription.process_instance_id, processId: subscription.process_id, elementId: subscription.element_id });
    return true;
  }

  /** Starts an instance of `event`'s definition at the start event, with the message's variables. */
  async start(event: StartEventRow, message: DeliveredMessage, actor: string): Promise<string> {
    const { row, model } = await this.definitions.byKey(event.definition_key, (sql, bindings) => this.tx.query(sql, bindings));
    const id = randomUUID();
    const startCorrelationKey = message.correlationKey === '' ? undefined : message.correlationKey;
    const meta = { id, definitionKey: row.key, version: row.version, startCorrelationKey };
    const ctx = context(this.now, actor);
    const result = startInstance(model, meta, message.variables, ctx, event.element_id);
    if (!result.ok) throw rejectionError(result.rejection);
    const resolved = await startChildren((sql, bindings) => this.tx.query(sql, bindings as Knex.RawBinding[]), this.definitions, model, result, ctx);
    const insert = { process_id: model.id, version: row.version, definition_key: row.key, business_key: null, start_correlation_key: startCorrelationKey ?? null };
    this.write(effectsStatement(resolved.state, resolved.effects, { actor, now: this.now, insert, childStartsHandled: true }), resolved);
    this.record(message, event.process_id, id, event.element_id);
    this.started.push({ processInstanceId: id, processId: event.process_id, elementId: event.element_id });
    return id;
  }

  /** The statements to run with COMMIT: every step's writes, then the correlation records. */
  finalStatements(): Statement[] {
    const out = [...this.statements];
    if (this.records.length > 0) {
      out.push({
        sql: `INSERT INTO message_correlations (message_key, process_id, process_instance_id, element_id, correlated_at)
              SELECT x.message_key, x.process_id, x.process_instance_id, x.element_id, ?::timestamptz
                FROM jsonb_to_recordset(?::jsonb) AS x(message_key uuid, process_id text, process_instance_id uuid, element_id text)`,
        bindings: [this.now.toISOString(), JSON.stringify(this.records)],
      });
    }
    return out;
  }

  /** A step's statement, then the child instances its call activities started. */
  private write(written: ReturnType<typeof effectsStatement>, children: ChildWrites): void {
    this.statements.push(written.statement, ...(children.statements as Statement[]));
    this.outbox.push(...written.outbox, ...children.outbox);
    this.openings.push(written.openings, ...children.openings);
    this.notifications.push(...written.notifications, ...children.notifications);
    this.tallies.push(written.tally, ...children.tallies);
  }

  private record(message: DeliveredMessage, processId: string, processInstanceId: string, elementId: string): void {
    if (message.buffered) this.records.push({ message_key: message.key, process_id: processId, process_instance_id: processInstanceId, element_id: elementId });
  }
}

/** Statements run as one, with the transaction's COMMIT (fastTransaction's finalSql). */
export function joinStatements(statements: Statement[]): Statement | undefined {
  if (statements.length === 0) return undefined;
  return { sql: statements.map((s) => s.sql).join(';\n'), bindings: statements.flatMap((s) => s.bindings) };
}
