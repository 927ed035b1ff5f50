/**
 * Delivering what instances tell each other: a child's end to the call
 * activity that started it (CHILD_COMPLETED / CHILD_ERROR), a cancel to a
 * child whose call activity ended first. Notes are rows written with the
 * step that produced them; each is delivered in a transaction of its own
 * that locks the note (SKIP LOCKED: several engines), then its target
 * instance, steps it, and deletes the note — so each is delivered once, and
 * no transaction holds two instances that might wait for each other. Right
 * after the commit that wrote them, and by a sweep for any left behind (a
 * crash in between).
 */
import { committedStates, loadState } from '../persistence/instance-store.js';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { step } from '../runtime/step.js';
import type { Command, InstanceState } from '../runtime/types.js';
import { fastTransaction } from '../persistence/fast-transaction.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import type { CommitTally, MessageOpenings, OutboxRow } from '../persistence/effect-applier.js';
import { stepContext, type CommandPath } from '../service/command-path.js';
import { AfterCommitWork } from '../service/after-commit-work.js';
import { inSpan } from '../observability/tracing/tracing.js';

/** Who the audit says delivered a note. */
export const NOTE_ACTOR = 'engine';
/** Notes older than this are the sweep's (younger ones are on their way right after their commit). */
const LEFT_BEHIND_MS = 2000;

interface Note {
  key: string;
  target_instance_id: string;
  source_instance_id: string;
  kind: 'child-completed' | 'child-error' | 'cancel';
  payload: { elementInstanceKey?: string; variables?: Record<string, unknown>; errorCode?: string; errorMessage?: string };
}

export class NotificationDelivery {
  private readonly inFlight: AfterCommitWork;

  constructor(
    private readonly db: Knex,
    private readonly definitions: DefinitionRepository,
    private readonly path: CommandPath,
    logger: Logger,
  ) {
    this.inFlight = new AfterCommitWork(logger, 'delivering instance notifications failed; the sweep will retry');
  }

  /** Delivers `keys` soon (after the commit that wrote them); a failure is left to the sweep. */
  deliverSoon(keys: string[]): void {
    this.inFlight.start(() => this.deliver(keys));
  }

  /** Waits for deliveries under way (tests, shutdown). */
  idle(): Promise<void> {
    return this.inFlight.idle();
  }

  async deliver(keys: string[]): Promise<number> {
    let delivered = 0;
    for (const key of keys) delivered += await this.deliverOne(key);
    return delivered;
  }

  /** Delivers notes left behind; returns how many. */
  async sweep(limit = 100): Promise<number> {
    const rows: { key: string }[] = await this.db('instance_notifications')
      .where('created_at', '<', new Date(Date.now() - LEFT_BEHIND_MS))
      .orderBy('created_at')
      .limit(limit)
      .select('key');
    return this.deliver(rows.map((r) => r.key));
  }

  /** A span of its own: the parent's next jobs are traced from the child's end (right after its commit) or from the sweep. */
  private deliverOne(key: string): Promise<number> {
    return inSpan('weft.deliver_note', {}, () => this.deliverOneHere(key));
  }

  private async deliverOneHere(key: string): Promise<number> {
    const now = new Date();
    const lock = {
      sql: 'SELECT key, target_instance_id, source_instance_id, kind, payload FROM instance_notifications WHERE key = ? FOR UPDATE SKIP LOCKED',
      bindings: [key],
    };
    let written: InstanceState | undefined;
    const outcome = await fastTransaction(this.db, lock, async (rows, tx) => {
      const note = rows[0] as Note | undefined;
      if (!note) return { result: { delivered: 0, outbox: [] as OutboxRow[], openings: [] as MessageOpenings[], notifications: [] as string[], signals: [] as string[], tallies: [] as CommitTally[] } }; // another engine has it, or it is done
      const done = { sql: 'DELETE FROM instance_notifications WHERE key = ?', bindings: [key] };
      const [target] = (await tx.query('SELECT id, state, revision, definition_key, status FROM process_instances WHERE id = ? FOR UPDATE', [note.target_instance_id])) as {
        id: string;
        state: InstanceState;
        revision: string;
        definition_key: string;
        status: string;
      }[];
      const nothing = { result: { delivered: 1, outbox: [] as OutboxRow[], openings: [] as MessageOpenings[], notifications: [] as string[], signals: [] as string[], tallies: [] as CommitTally[] }, finalSql: done };
      if (!target || target.status !== 'ACTIVE') return nothing;
      const { model } = await this.definitions.byKey(target.definition_key, (sql, bindings) => tx.query(sql, bindings));
      const ctx = stepContext(now, NOTE_ACTOR);
      const query = (sql: string, bindings: readonly unknown[]) => tx.query(sql, bindings as Knex.RawBinding[]);
      // Many children of one parent (a multi-instance call activity) report here: the parent is stepped in place.
      const state = await loadState(query, target as never);
      const stepped = step(model, state, commandOf(note), ctx, { inPlace: true });
      // Refused: the call activity is gone (it was interrupted), or the child has ended already.
      if (!stepped.ok) return nothing;
      const step_ = await this.path.writeStep(query, model, stepped, ctx);
      written = step_.state;
      return {
        result: { delivered: 1, outbox: step_.outbox, openings: [step_.openings], notifications: step_.notifications, signals: step_.signals, tallies: [step_.tally] },
        finalSql: { sql: `${step_.statement.sql};\nDELETE FROM instance_notifications WHERE key = ?`, bindings: [...step_.statement.bindings, key] },
      };
    });
    if (written) committedStates([written]);
    await this.path.committed(outcome.outbox, outcome.openings, outcome.notifications, outcome.signals, outcome.tallies, written ? [written.id] : []);
    return outcome.delivered;
  }
}

function commandOf(note: Note): Command {
  const { payload } = note;
  if (note.kind === 'cancel') return { type: 'CANCEL' };
  if (note.kind === 'child-completed') {
    return { type: 'CHILD_COMPLETED', elementInstanceKey: payload.elementInstanceKey!, childInstanceId: note.source_instance_id, variables: payload.variables ?? {} };
  }
  return {
    type: 'CHILD_ERROR',
    elementInstanceKey: payload.elementInstanceKey!,
    childInstanceId: note.source_instance_id,
    errorCode: payload.errorCode!,
    ...(payload.errorMessage !== undefined ? { errorMessage: payload.errorMessage } : {}),
    variables: payload.variables ?? {},
  };
}
