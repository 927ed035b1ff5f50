/**
 * What a batch of commands writes when each of its commands is on an
 * instance of its own (group commit, issue #13): the common case, many
 * workers completing jobs of different instances at once, or many starts.
 *
 * All their effects go in ONE statement: one insert of the audit rows, one of
 * the jobs, one update of the instance rows. Each statement costs Postgres a
 * plan, an executor start per part and one run of the audit chain's trigger
 * (which works per statement, db/migrations/20261213000004): one statement
 * for the batch pays them once instead of once per command.
 *
 * A statement's parts all see the same snapshot, so an instance may appear in
 * it only once: when two commands of a batch touch the same instance (many
 * runs of a multi-instance completing together), the second may update a row
 * the first inserted, and the command path writes each command on its own
 * (command-path.ts).
 *
 * Pure: the stepped states and effects come in, the statements go out.
 */
import type { Context } from '@opentelemetry/api';
import type { Knex } from 'knex';
import type { ChildWrites } from '../calls/child-starts.js';
import { batchEffectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import type { Effect, InstanceState } from '../runtime/types.js';
import type { NewInstanceRow } from '../persistence/write-set.js';

/** One accepted command of the batch: its instance's state after the step, the step's effects and its call activities' children. */
export interface PreparedStep {
  state: InstanceState;
  effects: Effect[];
  actor: string;
  traceContext?: Context;
  children: ChildWrites;
  /** A start: the new instance's row (then every step of the group is a start). */
  insert?: NewInstanceRow;
  /** A start's idempotency key, written with the instance so both commit or neither (EngineService.startInstance). */
  startKey?: string;
}

export interface BatchWrites {
  /** Sent together with COMMIT, in this order. */
  statements: { sql: string; bindings: readonly Knex.RawBinding[] }[];
  outbox: OutboxRow[];
  openings: MessageOpenings[];
  notifications: string[];
  signals: string[];
  tallies: CommitTally[];
  /** Each touched instance's state as written (once per instance). */
  states: InstanceState[];
}

export function groupWrites(steps: PreparedStep[], now: Date): BatchWrites {
  const one = batchEffectsStatement(
    steps.map((s) => ({ state: s.state, effects: s.effects, actor: s.actor, traceContext: s.traceContext, insert: s.insert })),
    { actor: 'engine', now, childStartsHandled: true },
  );
  const writes: BatchWrites = {
    statements: [one.statement],
    outbox: [...one.outbox],
    openings: [...one.openings],
    notifications: [...one.notifications],
    signals: [...one.signals],
    tallies: [one.tally],
    states: steps.map((s) => s.state),
  };
  const keyed = steps.filter((s) => s.startKey !== undefined);
  if (keyed.length > 0) {
    writes.statements.push({
      sql: `INSERT INTO instance_start_keys (start_key, process_instance_id) VALUES ${keyed.map(() => '(?, ?)').join(', ')}`,
      bindings: keyed.flatMap((s) => [s.startKey!, s.state.id]),
    });
  }
  // The children's own rows (call activities the steps started) follow their parents'.
  for (const { children } of steps) {
    writes.statements.push(...(children.statements as BatchWrites['statements']));
    writes.outbox.push(...children.outbox);
    writes.openings.push(...children.openings);
    writes.notifications.push(...children.notifications);
    writes.signals.push(...children.signals);
    writes.tallies.push(...children.tallies);
  }
  return writes;
}
