/**
 * Writes a step's effects in ONE SQL statement (data-modifying CTEs fed with
 * JSON), inside the transaction that holds the instance row lock — or on its
 * own for a start, where the single statement is the transaction.
 *
 * Work for queues goes to the outbox in the same statement; the rows are
 * returned so the caller can relay them right after commit.
 */
import { stampTraceparent } from '../observability/tracing/tracing.js';
import type { Context } from '@opentelemetry/api';
import type { Knex } from 'knex';
import type { Effect, InstanceState } from '../runtime/types.js';
import { scrubJson } from '../security/redaction.js';
import { mergeRows, messageOpeningsOf, writeSetOf, type MessageOpenings, type NewInstanceRow, type OutboxRow, type WriteSet } from './write-set.js';
import { SUBSCRIPTION_CUTOFF } from '../signals/signal-rows.js';
import { entryWrites, headerOf, mergeEntryWrites, type EntryWrites } from './instance-store.js';
import { agentRunEndsSql, agentRunRetriesSql } from './agent-run-states.js';
import { tallyOf, type CommitTally } from '../observability/metrics/commit-tally.js';
import { sized, sizedUuids } from './sized-rows.js';

export type { CommitTally, MessageOpenings, OutboxRow };

export interface ApplyOptions {
  actor: string;
  now: Date;
  /** Set when the instance row does not exist yet (a start). */
  insert?: NewInstanceRow;
  /** The caller starts the step's child instances itself (call activities). */
  childStartsHandled?: boolean;
  /** Leave the instance row out: the caller writes the instance's final state once after several steps (a batch). */
  omitInstance?: boolean;
}

const JOB_COLUMNS = 'key, type, process_instance_id, process_id, element_id, element_instance_key, state, retries, headers, variables, available_at, dispatch_id, created_at, updated_at';
const TASK_COLUMNS =
  'id, process_instance_id, process_id, element_id, element_instance_key, name, state, assignee, candidate_groups, candidate_users, due_date, follow_up_date, form_id, form_key, priority, headers, variables, created_at';
const INCIDENT_COLUMNS = 'id, process_instance_id, element_id, element_instance_key, job_key, type, message, state, created_at, resolved_at, resolved_by';
const TIMER_COLUMNS = 'id, process_instance_id, definition_key, process_id, element_id, element_instance_key, due_at, repeat, state, created_at';
const SUBSCRIPTION_COLUMNS = 'id, process_instance_id, definition_key, process_id, element_id, element_instance_key, message_name, correlation_key, interrupting, state, created_at';
const SIGNAL_SUBSCRIPTION_COLUMNS = 'id, process_instance_id, definition_key, process_id, element_id, element_instance_key, signal_name, created_at';
const INSTANCE_COLUMNS =
  'id, definition_key, process_id, version, business_key, start_correlation_key, status, state, created_at, updated_at, ended_at, parent_instance_id, parent_element_instance_key';
const AUDIT_COLUMNS = 'process_instance_id, at, actor, type, element_id, element_instance_key, payload';

export async function applyEffects(db: Knex | Knex.Transaction, state: InstanceState, effects: Effect[], options: ApplyOptions): Promise<OutboxRow[]> {
  const { statement, outbox } = effectsStatement(state, effects, options);
  await db.raw(statement.sql, statement.bindings);
  return outbox;
}

/** The statement that writes `effects`, the outbox rows it holds (to relay after commit), the message subscriptions it opens and what it counts for the metrics once committed. */
export function effectsStatement(state: InstanceState, effects: Effect[], options: ApplyOptions) {
  const now = options.now.toISOString();
  const set = writeSetOf(state, effects, options.actor, now, options.insert);
  // In the rows, not only the messages: a re-send by the outbox sweep stays in its trace (tracing on; nothing when off).
  stampTraceparent(set.outbox);
  // Children are started by the command path, which must take them out of the set first: never drop one silently.
  if (set.childStarts.length > 0 && !options.childStartsHandled) {
    throw new Error(`Step of instance ${state.id} starts child instances, but this write path cannot start them`);
  }
  return {
    statement: statementOf(set, now, options.actor, undefined, options.omitInstance),
    outbox: set.outbox,
    openings: messageOpeningsOf(set),
    notifications: set.notifications.map((n) => n.key as string),
    signals: signalKeys(set),
    tally: tallyOf([set]),
  };
}

/** One instance's step in a batch statement; `actor` and `traceContext` default to the batch's. With `insert`, a start (then every step of the batch is one). */
export interface BatchStep {
  state: InstanceState;
  effects: Effect[];
  actor?: string;
  traceContext?: Context;
  insert?: NewInstanceRow;
}

/**
 * The steps of several instances (the timer sweep's batch, a group commit of job commands) in ONE statement:
 * a statement's data-modifying parts all see the same snapshot, so each
 * instance may appear once — their rows are then disjoint and no step's
 * writes depend on another's. Either all starts or all existing instances.
 */
export function batchEffectsStatement(steps: BatchStep[], options: { actor: string; now: Date; childStartsHandled?: boolean }) {
  const now = options.now.toISOString();
  const sets = steps.map((s) => writeSetOf(s.state, s.effects, s.actor ?? options.actor, now, s.insert));
  if (new Set(sets.map((s) => s.instance.id)).size !== sets.length) throw new Error('An instance appears twice in one batch statement');
  if (!options.childStartsHandled && sets.some((s) => s.childStarts.length > 0)) throw new Error('A step in this batch starts child instances, but this write path cannot start them');
  // Each step's queue messages continue its own caller's trace (tracing on), not the batch's first caller's.
  sets.forEach((set, i) => stampTraceparent(set.outbox, steps[i].traceContext));
  const rows = mergeRows(sets);
  return {
    statement: statementOf({ ...rows, instance: sets[0].instance }, now, options.actor, sets.map((s) => s.instance)),
    outbox: rows.outbox,
    openings: sets.map(messageOpeningsOf),
    notifications: rows.notifications.map((n) => n.key as string),
    signals: signalKeys(rows),
    tally: tallyOf(sets),
  };
}

/** The keys of the signal broadcasts a write set holds: delivered to other instances after the commit (engine/signals). */
function signalKeys(rows: Pick<WriteSet, 'signalBroadcasts'>): string[] {
  return rows.signalBroadcasts.map((b) => b.key as string);
}

/**
 * Builds the single statement; only the parts this step needs are included.
 * With `instances` (a batch), their rows are updated together and `set.instance` is not used.
 */
export function statementOf(set: WriteSet, now: string, actor: string, instances?: WriteSet['instance'][], omitInstance = false): { sql: string; bindings: Knex.RawBinding[] } {
  const parts: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  const json = (rows: unknown) => {
    bindings.push(JSON.stringify(rows));
    return '?::jsonb';
  };
  // What people read later (audit, incidents, job errors) is scrubbed of secrets as it is written:
  // a variable or a FEEL error may quote one. One pass over the serialized rows (engine/security).
  const scrubbed = (rows: unknown) => {
    bindings.push(scrubJson(JSON.stringify(rows)));
    return '?::jsonb';
  };
  const value = (v: Knex.RawBinding) => {
    bindings.push(v);
    return '?';
  };
  const add = (name: string, sql: string) => parts.push(`${name} AS (${sql})`);
  // Rows joined to a table, sized by the very array rendered (sized-rows.ts): the planner probes the table's index.
  const populated = (table: string, rows: unknown[], render = json) => sized(`SELECT * FROM jsonb_populate_recordset(null::${table}, ${render(rows)})`, rows.length);
  const recordset = (rows: unknown[], columns: string) => sized(`SELECT * FROM jsonb_to_recordset(${json(rows)}) AS r(${columns})`, rows.length);
  const uuids = (ids: unknown[]) => sizedUuids(ids.length, json(ids));

  const { instance } = set;
  // The instance row holds the header; its element instances, jobs and waits are entries, written as touched.
  let entries: EntryWrites | undefined;
  if (omitInstance) {
    // The instance's row is written once, after the last of its steps in the batch.
  } else if (instances && instances.some((i) => i.insert)) {
    // A batch of starts: every instance row is new.
    if (!instances.every((i) => i.insert)) throw new Error('A batch statement either starts instances or steps existing ones, not both');
    entries = mergeEntryWrites(instances.map((i) => entryWrites(i.state, { insert: true })));
    const rows = instances.map(({ id, state, status, ended, insert: i }) => ({
      id,
      definition_key: i!.definition_key,
      process_id: i!.process_id,
      version: i!.version,
      business_key: i!.business_key,
      start_correlation_key: i!.start_correlation_key ?? null,
      status,
      state: headerOf(state),
      created_at: now,
      updated_at: now,
      ended_at: ended ? now : null,
      parent_instance_id: i!.parent_instance_id ?? null,
      parent_element_instance_key: i!.parent_element_instance_key ?? null,
    }));
    add('instance', `INSERT INTO process_instances (${INSTANCE_COLUMNS}) SELECT ${INSTANCE_COLUMNS} FROM jsonb_populate_recordset(null::process_instances, ${json(rows)})`);
  } else if (instances) {
    entries = mergeEntryWrites(instances.map((i) => entryWrites(i.state, { insert: false })));
    const rows = instances.map((i) => ({ id: i.id, state: headerOf(i.state), status: i.status, ended: i.ended }));
    add(
      'instance',
      `UPDATE process_instances p SET state = x.state, status = x.status, revision = p.revision + 1, updated_at = ${value(now)},
              ended_at = CASE WHEN x.ended THEN ${value(now)}::timestamptz ELSE p.ended_at END
       FROM ${recordset(rows, 'id uuid, state jsonb, status text, ended boolean')} x WHERE p.id = x.id`,
    );
  } else if (instance.insert) {
    const i = instance.insert;
    entries = entryWrites(instance.state, { insert: true });
    add(
      'instance',
      `INSERT INTO process_instances (id, definition_key, process_id, version, business_key, start_correlation_key, status, state, created_at, updated_at, ended_at, parent_instance_id, parent_element_instance_key)
       VALUES (${value(instance.id)}, ${value(i.definition_key)}, ${value(i.process_id)}, ${value(i.version)}, ${value(i.business_key)}, ${value(i.start_correlation_key ?? null)},
               ${value(instance.status)}, ${json(headerOf(instance.state))}, ${value(now)}, ${value(now)}, ${value(instance.ended ? now : null)},
               ${value(i.parent_instance_id ?? null)}, ${value(i.parent_element_instance_key ?? null)})`,
    );
  } else {
    entries = entryWrites(instance.state, { insert: false });
    add(
      'instance',
      `UPDATE process_instances SET state = ${json(headerOf(instance.state))}, status = ${value(instance.status)}, revision = revision + 1, updated_at = ${value(now)}
       ${instance.ended ? `, ended_at = ${value(now)}` : ''} WHERE id = ${value(instance.id)}`,
    );
  }
  if (entries && entries.upserts.length > 0) {
    add(
      'entry_upserts',
      `INSERT INTO instance_entries (instance_id, kind, key, value) SELECT instance_id, kind, key, value
       FROM jsonb_to_recordset(${json(entries.upserts)}) AS x(instance_id uuid, kind text, key text, value jsonb)
       ON CONFLICT (instance_id, kind, key) DO UPDATE SET value = EXCLUDED.value`,
    );
  }
  if (entries && entries.deletes.length > 0) {
    add(
      'entry_deletes',
      `DELETE FROM instance_entries e USING ${recordset(entries.deletes, 'instance_id uuid, kind text, key text')} x
       WHERE e.instance_id = x.instance_id AND e.kind = x.kind AND e.key = x.key`,
    );
  }
  if (entries && entries.prunes.length > 0) {
    // Disjoint from the upserts (those keys are kept), so the two never meet the same row in one statement.
    // (jsonb_exists is the `?` operator, which the placeholders would take for a binding.)
    add(
      'entry_prunes',
      `DELETE FROM instance_entries e USING ${recordset(entries.prunes, 'instance_id uuid, kind text, keep jsonb')} x
       WHERE e.instance_id = x.instance_id AND e.kind = x.kind AND NOT jsonb_exists(x.keep, e.key)`,
    );
  }
  if (set.jobInserts.length > 0) {
    add('job_inserts', `INSERT INTO jobs (${JOB_COLUMNS}) SELECT ${JOB_COLUMNS} FROM jsonb_populate_recordset(null::jobs, ${json(set.jobInserts)})`);
  }
  if (set.jobFinishes.length > 0) {
    add(
      'job_finishes',
      `UPDATE jobs j SET state = x.state, error_message = COALESCE(x.error_message, j.error_message), retries = COALESCE(x.retries, j.retries), updated_at = ${value(now)}
       FROM ${populated('jobs', set.jobFinishes, scrubbed)} x WHERE j.key = x.key
       RETURNING j.key, j.type, j.state, j.error_message`,
    );
    add('agent_run_ends', agentRunEndsSql(() => value(now)));
  }
  if (set.jobRetries.length > 0) {
    add(
      'job_retries',
      `UPDATE jobs j SET state = 'ACTIVATABLE', retries = x.retries, available_at = x.available_at, worker_id = NULL, deadline = NULL,
              dispatch_id = x.dispatch_id, updated_at = ${value(now)}
       FROM ${populated('jobs', set.jobRetries)} x WHERE j.key = x.key
       RETURNING j.key, j.type`,
    );
    add('agent_run_retries', agentRunRetriesSql(() => value(now)));
  }
  if (set.jobRetryUpdates.length > 0) {
    add(
      'job_retry_updates',
      `UPDATE jobs j SET retries = x.retries, updated_at = ${value(now)}
       FROM ${populated('jobs', set.jobRetryUpdates)} x WHERE j.key = x.key`,
    );
  }
  if (set.taskInserts.length > 0) {
    add('task_inserts', `INSERT INTO tasks (${TASK_COLUMNS}) SELECT ${TASK_COLUMNS} FROM jsonb_populate_recordset(null::tasks, ${json(set.taskInserts)})`);
  }
  if (set.taskFinishes.length > 0) {
    add(
      'task_finishes',
      `UPDATE tasks t SET state = x.state, completed_at = ${value(now)}, completed_by = x.completed_by
       FROM ${populated('tasks', set.taskFinishes)} x WHERE t.id = x.id`,
    );
  }
  if (set.incidentInserts.length > 0) {
    add('incident_inserts', `INSERT INTO incidents (${INCIDENT_COLUMNS}) SELECT ${INCIDENT_COLUMNS} FROM jsonb_populate_recordset(null::incidents, ${scrubbed(set.incidentInserts)})`);
  }
  if (set.incidentResolves.length > 0) {
    add(
      'incident_resolves',
      `UPDATE incidents SET state = 'RESOLVED', resolved_at = ${value(now)}, resolved_by = ${value(actor)} WHERE id IN ${uuids(set.incidentResolves)}`,
    );
  }
  if (set.outbox.length > 0) {
    add(
      'outbox_inserts',
      `INSERT INTO outbox (id, queue, payload, available_at, created_at) SELECT id, queue, payload, available_at, ${value(now)}::timestamptz
       FROM jsonb_populate_recordset(null::outbox, ${json(set.outbox)})`,
    );
  }
  if (set.timerInserts.length > 0) {
    add('timer_inserts', `INSERT INTO timers (${TIMER_COLUMNS}) SELECT ${TIMER_COLUMNS} FROM jsonb_populate_recordset(null::timers, ${json(set.timerInserts)})`);
  }
  if (set.timerCloses.length > 0) {
    add(
      'timer_closes',
      `UPDATE timers t SET state = x.state, closed_at = ${value(now)}
       FROM ${populated('timers', set.timerCloses)} x WHERE t.id = x.id AND t.state = 'ACTIVE'`,
    );
  }
  if (set.subscriptionInserts.length > 0) {
    add(
      'subscription_inserts',
      `INSERT INTO message_subscriptions (${SUBSCRIPTION_COLUMNS}) SELECT ${SUBSCRIPTION_COLUMNS} FROM jsonb_populate_recordset(null::message_subscriptions, ${json(set.subscriptionInserts)})`,
    );
  }
  if (set.subscriptionCloses.length > 0) {
    add(
      'subscription_closes',
      `UPDATE message_subscriptions s SET state = x.state, closed_at = ${value(now)}
       FROM ${populated('message_subscriptions', set.subscriptionCloses)} x WHERE s.id = x.id AND s.state = 'OPEN'`,
    );
  }
  if (set.signalSubscriptionInserts.length > 0) {
    add(
      'signal_subscription_inserts',
      `INSERT INTO signal_subscriptions (${SIGNAL_SUBSCRIPTION_COLUMNS}) SELECT ${SIGNAL_SUBSCRIPTION_COLUMNS} FROM jsonb_populate_recordset(null::signal_subscriptions, ${json(set.signalSubscriptionInserts)})`,
    );
  }
  if (set.signalSubscriptionDeletes.length > 0) {
    add('signal_subscription_deletes', `DELETE FROM signal_subscriptions WHERE id IN ${uuids(set.signalSubscriptionDeletes)}`);
  }
  if (set.signalBroadcasts.length > 0) {
    add(
      'signal_broadcasts_inserts',
      // The cutoff: the broadcast reaches the subscriptions opened before it (engine/signals/signal-rows.ts).
      `INSERT INTO signal_broadcasts (key, name, variables, source_instance_id, created_at, cutoff) SELECT key, name, variables, source_instance_id, created_at, ${SUBSCRIPTION_CUTOFF}
       FROM jsonb_populate_recordset(null::signal_broadcasts, ${json(set.signalBroadcasts)})`,
    );
  }
  if (set.notifications.length > 0) {
    add(
      'notification_inserts',
      `INSERT INTO instance_notifications (key, target_instance_id, source_instance_id, kind, payload, created_at)
       SELECT key, target_instance_id, source_instance_id, kind, payload, created_at FROM jsonb_populate_recordset(null::instance_notifications, ${json(set.notifications)})`,
    );
  }
  if (set.audit.length > 0) {
    add('audit_inserts', `INSERT INTO audit (${AUDIT_COLUMNS}) SELECT ${AUDIT_COLUMNS} FROM jsonb_populate_recordset(null::audit, ${scrubbed(set.audit)})`);
  }
  if (parts.length === 0) return { sql: 'SELECT 1', bindings };
  return { sql: `WITH ${parts.join(',\n')} SELECT 1`, bindings };
}
