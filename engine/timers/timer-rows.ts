/**
 * The statements on the `timers` table that are the sweep's and the
 * deployment's own (a step's timers are written with its effects,
 * effect-applier.ts). Each is `{ sql, bindings }` with `?` placeholders, for
 * knex and for the fast transaction alike.
 */
import type { Knex } from 'knex';
import type { TimerRepeat } from '../runtime/types.js';
import { sizedUuids } from '../persistence/sized-rows.js';

export interface Statement {
  sql: string;
  bindings: readonly Knex.RawBinding[];
}

export interface TimerRow {
  id: string;
  /** Null for a timer start event's schedule. */
  process_instance_id: string | null;
  definition_key: string;
  process_id: string;
  element_id: string;
  element_instance_key: string | null;
  due_at: Date;
  repeat: TimerRepeat | null;
}

const COLUMNS = 'id, process_instance_id, definition_key, process_id, element_id, element_instance_key, due_at, repeat';

/** `only`: the timers a pass is limited to (one by one, after a batch failed), as a condition and its binding. */
function amongTimers(only?: string[]): { sql: string; bindings: string[] } {
  return only ? { sql: `AND id IN ${sizedUuids(only.length)}`, bindings: [JSON.stringify(only)] } : { sql: '', bindings: [] };
}

/**
 * Locks up to `limit` instances that have a timer due at `now` (the
 * engine's clock, the one the steps that armed them read), among the most
 * overdue. The instance is locked first, its timers read after: everything
 * that writes an instance's timer rows holds the instance's lock, so the
 * sweep never waits on a row while holding one (no deadlock between two
 * sweeps). SKIP LOCKED: instances another engine or a command holds are left
 * for a later pass; the candidates are a wider window than `limit`, so two
 * engines sweeping at once share a burst instead of queueing on it.
 */
export function lockDueInstances(now: Date, limit: number, only?: string[]): Statement {
  const among = amongTimers(only);
  return {
    sql: `SELECT id, state, revision, definition_key FROM process_instances
           WHERE id IN (SELECT process_instance_id FROM timers
                         WHERE state = 'ACTIVE' AND due_at <= ? AND process_instance_id IS NOT NULL ${among.sql}
                         ORDER BY due_at LIMIT ?)
           ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
    bindings: [now, ...among.bindings, limit * 4, limit],
  };
}

/** The due timers of instances this transaction has locked, in the order they came due. */
export function dueTimersOf(instanceIds: string[], now: Date, only?: string[]): Statement {
  const among = amongTimers(only);
  return {
    sql: `SELECT ${COLUMNS} FROM timers
           WHERE process_instance_id IN ${sizedUuids(instanceIds.length)} AND state = 'ACTIVE' AND due_at <= ? ${among.sql}
           ORDER BY due_at, id`,
    bindings: [JSON.stringify(instanceIds), now, ...among.bindings],
  };
}

/** Claims up to `limit` due firings of timer start events (no instance to lock: the row is the claim). */
export function claimDueStartTimers(now: Date, limit: number, only?: string[]): Statement {
  const among = amongTimers(only);
  return {
    sql: `SELECT ${COLUMNS} FROM timers
           WHERE state = 'ACTIVE' AND due_at <= ? AND process_instance_id IS NULL ${among.sql}
           ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED`,
    bindings: [now, ...among.bindings, limit],
  };
}

/** The ids of timers due at `now`, without claiming them. */
export function dueIds(now: Date, limit: number): Statement {
  return { sql: `SELECT id FROM timers WHERE state = 'ACTIVE' AND due_at <= ? ORDER BY due_at LIMIT ?`, bindings: [now, limit] };
}

/** When the next active timer is due (the partial index on due_at answers it). */
export const NEXT_DUE = `SELECT due_at FROM timers WHERE state = 'ACTIVE' ORDER BY due_at LIMIT 1`;

export function closeTimer(id: string, state: 'FIRED' | 'CANCELED', now: Date): Statement {
  return { sql: `UPDATE timers SET state = ?, closed_at = ? WHERE id = ? AND state = 'ACTIVE'`, bindings: [state, now, id] };
}

/** Moves a timer whose firing broke (a bug) out of the way of the others, to be tried again at `until`. */
export function postponeTimer(id: string, until: Date): Statement {
  return { sql: `UPDATE timers SET due_at = ? WHERE id = ? AND state = 'ACTIVE'`, bindings: [until, id] };
}

export interface StartTimer {
  id: string;
  definitionKey: string;
  processId: string;
  elementId: string;
  dueAt: string;
  repeat: TimerRepeat | null;
}

/** One firing of a timer start event's schedule, and its audit record (an event of no instance). */
export function insertStartTimer(timer: StartTimer, now: Date): Statement[] {
  return [
    {
      sql: `INSERT INTO timers (${COLUMNS}, state, created_at) VALUES (?, NULL, ?, ?, ?, NULL, ?, ?::jsonb, 'ACTIVE', ?)`,
      bindings: [timer.id, timer.definitionKey, timer.processId, timer.elementId, timer.dueAt, JSON.stringify(timer.repeat), now],
    },
    scheduleAudit('TIMER_CREATED', timer.elementId, { timerId: timer.id, processId: timer.processId, definitionKey: timer.definitionKey, dueAt: timer.dueAt, repeat: timer.repeat }, now),
  ];
}

/** The schedules of `processId` other than version `keepKey`'s, canceled (a new version replaces them). */
export function cancelStartTimers(processId: string, keepKey: string, now: Date): Statement {
  return {
    sql: `UPDATE timers SET state = 'CANCELED', closed_at = ?
           WHERE process_id = ? AND process_instance_id IS NULL AND state = 'ACTIVE' AND definition_key <> ?
       RETURNING id, element_id, definition_key`,
    bindings: [now, processId, keepKey],
  };
}

export function scheduleAudit(type: 'TIMER_CREATED' | 'TIMER_CANCELED', elementId: string, payload: Record<string, unknown>, now: Date): Statement {
  return {
    sql: `INSERT INTO audit (process_instance_id, at, actor, type, element_id, payload) VALUES (NULL, ?, 'engine', ?, ?, ?::jsonb)`,
    bindings: [now, type, elementId, JSON.stringify(payload)],
  };
}

/** Statements joined into one, to go with the COMMIT. */
export function joined(statements: Statement[]): Statement | undefined {
  if (statements.length === 0) return undefined;
  return { sql: statements.map((s) => s.sql).join(';\n'), bindings: statements.flatMap((s) => s.bindings) };
}
