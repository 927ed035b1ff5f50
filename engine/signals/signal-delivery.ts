/**
 * Delivering a broadcast signal, exactly once: to every instance that waits
 * for it (but the one that threw it, whose catchers got it in its own step)
 * and, once, to every signal start event of its name (a new instance of the
 * latest version of each such process, the thrower's own included).
 *
 * A broadcast is a row (signal_broadcasts), written with the step that threw
 * it or by the API. It is delivered in batches, each one transaction: take
 * the row (SKIP LOCKED: several engines), lock the next instances waiting
 * for it in id order, step DELIVER_SIGNAL on each (a refusal: it waits for
 * that signal no more), start the start events' instances (first batch
 * only), then record how far it came — or, in the last batch, delete the
 * row — with the COMMIT; then relay the outbox. A batch that fails rolls
 * back whole and is tried again, so nothing is delivered twice or lost;
 * instances are visited in id order and each once, and only subscriptions
 * opened before the broadcast count (its cutoff), so neither an instance it
 * reached nor one it started gets it a second time.
 *
 * Right after the commit that wrote it (CommandPath.onSignals), and by a
 * sweep for what was left behind (an engine that stopped in between).
 */
import { loadStates } from '../persistence/instance-store.js';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { startInstance, step } from '../runtime/step.js';
import type { Effect, InstanceState } from '../runtime/types.js';
import { fastTransaction, type FastTransaction } from '../persistence/fast-transaction.js';
import { assertStorable } from '../persistence/storable.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import type { CommitTally, MessageOpenings, OutboxRow } from '../persistence/effect-applier.js';
import { stepContext, type CommandPath } from '../service/command-path.js';
import { AfterCommitWork } from '../service/after-commit-work.js';
import { joined, type Statement } from '../timers/timer-rows.js';
import { claimBroadcast, deleteBroadcast, insertBroadcast, leftBehind, lockWaiting, recordProgress, SIGNAL_BATCH, startEventsNamed, type BroadcastRow } from './signal-rows.js';
import type { BroadcastSignalRequest, BroadcastSignalResult, SignalStart } from './signal-types.js';
import { inSpan } from '../observability/tracing/tracing.js';

/** Who the audit says delivered a signal. */
export const SIGNAL_ACTOR = 'engine';
/** Broadcasts no batch touched for this long are the sweep's (younger ones are being delivered right after their commit). */
const LEFT_BEHIND_MS = 2000;

export interface Delivery {
  /** Waiting elements that got it. */
  delivered: number;
  started: SignalStart[];
  /** This call delivered it to the end (false: another engine has it, or had it). */
  finished: boolean;
}

/** What one batch writes, gathered instance by instance. */
interface Batch {
  statements: Statement[];
  outbox: OutboxRow[];
  /** Message subscriptions the steps opened: buffered messages may wait for them (engine/messages). */
  openings: MessageOpenings[];
  notifications: string[];
  signals: string[];
  tallies: CommitTally[];
  delivered: number;
  started: SignalStart[];
}

export class SignalDelivery {
  /** Instances per transaction (tests lower it to see a delivery in several batches). */
  batchSize = SIGNAL_BATCH;
  private readonly inFlight: AfterCommitWork;

  constructor(
    private readonly db: Knex,
    private readonly definitions: DefinitionRepository,
    private readonly path: CommandPath,
    private readonly logger: Logger,
  ) {
    this.inFlight = new AfterCommitWork(logger, 'delivering a signal failed; the sweep will retry');
  }

  /**
   * A broadcast through the API: written (so that an engine that stops
   * half-way leaves the rest to the sweep), then delivered before answering.
   * `actor` is who the audit says delivered it.
   */
  async broadcast(req: BroadcastSignalRequest, actor: string): Promise<BroadcastSignalResult> {
    // The name and the variables are text in Postgres too: a NUL or a lone surrogate is the caller's 4xx.
    assertStorable(req, 'signal');
    const signalKey = randomUUID();
    const insert = insertBroadcast(signalKey, req.name, req.variables ?? {}, new Date());
    await this.db.raw(insert.sql, insert.bindings as Knex.RawBinding[]);
    const { delivered, started } = await this.deliver(signalKey, actor);
    return { signalKey, delivered, started };
  }

  /** Delivers `keys` soon (after the commit that wrote them); a failure is left to the sweep. */
  deliverSoon(keys: string[]): void {
    this.inFlight.start(async () => {
      for (const key of keys) await this.deliver(key);
    });
  }

  /** Waits for deliveries under way (tests, shutdown). */
  idle(): Promise<void> {
    return this.inFlight.idle();
  }

  /** Delivers broadcasts left behind; returns how many this engine delivered to the end. */
  async sweep(limit = 100): Promise<number> {
    const query = leftBehind(new Date(Date.now() - LEFT_BEHIND_MS), limit);
    const { rows } = await this.db.raw(query.sql, query.bindings as Knex.RawBinding[]);
    let finished = 0;
    for (const { key } of rows as { key: string }[]) if ((await this.deliver(key)).finished) finished++;
    return finished;
  }

  /** Delivers the broadcast `key`, batch after batch, while this engine holds it. */
  deliver(key: string, actor = SIGNAL_ACTOR): Promise<Delivery> {
    // A span of its own: what the catching instances do next is traced from the broadcast (its request, or the sweep).
    return inSpan('weft.deliver_signal', {}, () => this.deliverHere(key, actor));
  }

  private async deliverHere(key: string, actor: string): Promise<Delivery> {
    const total: Delivery = { delivered: 0, started: [], finished: false };
    for (;;) {
      const batch = await this.batch(key, this.batchSize, actor);
      if (!batch) return total;
      total.delivered += batch.delivered;
      total.started.push(...batch.started);
      if (batch.finished) return { ...total, finished: true };
    }
  }

  /** One batch; null when the broadcast is not there to take (delivered, or another engine's batch holds it). */
  private async batch(key: string, limit: number, actor: string): Promise<(Batch & { finished: boolean }) | null> {
    const outcome = await fastTransaction(this.db, claimBroadcast(key), async (rows, tx) => {
      const broadcast = rows[0] as BroadcastRow | undefined;
      if (!broadcast) return { result: null };
      const ctx = stepContext(new Date(), actor);
      const query = (statement: Statement) => tx.query(statement.sql, statement.bindings);
      const out: Batch = { statements: [], outbox: [], openings: [], notifications: [], signals: [], tallies: [], delivered: 0, started: [] };
      const waiting = (await query(lockWaiting(broadcast, limit))) as WaitingInstance[];
      const states = await loadStates((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), waiting as never);
      for (const instance of waiting) instance.state = states.get(instance.id)!;
      for (const instance of waiting) {
        await this.guarded(() => this.deliverTo(instance, broadcast, tx, ctx, out), { signalKey: key, processInstanceId: instance.id });
      }
      if (broadcast.after_instance === null) {
        for (const start of (await query(startEventsNamed(broadcast.name))) as StartEventRow[]) {
          await this.guarded(() => this.start(start, broadcast, tx, ctx, out), { signalKey: key, processId: start.process_id });
        }
      }
      const finished = waiting.length < limit;
      // Progress is stamped as the batch ends, so a long batch does not look left behind to the sweep the moment it commits.
      out.statements.push(finished ? deleteBroadcast(key) : recordProgress(broadcast, waiting[waiting.length - 1].id, new Date()));
      return { result: { ...out, finished, changed: [...waiting.map((w) => w.id), ...out.started.map((s) => s.processInstanceId)] }, finalSql: joined(out.statements) };
    });
    if (!outcome) return null;
    await this.path.committed(outcome.outbox, outcome.openings, outcome.notifications, outcome.signals, outcome.tallies, outcome.changed);
    return outcome;
  }

  /** A step that throws is a bug: that instance (or start event) misses the signal, the others get it. */
  private async guarded(work: () => Promise<void>, where: Record<string, string>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.logger.error({ err: error, ...where }, 'delivering a signal failed here; skipped');
    }
  }

  private async deliverTo(instance: WaitingInstance, broadcast: BroadcastRow, tx: FastTransaction, ctx: StepContext, out: Batch): Promise<void> {
    const query = (sql: string, bindings: readonly unknown[]) => tx.query(sql, bindings as Knex.RawBinding[]);
    const { model } = await this.definitions.byKey(instance.definition_key, query);
    const stepped = step(model, instance.state, { type: 'DELIVER_SIGNAL', name: broadcast.name, signalKey: broadcast.key, variables: broadcast.variables }, ctx);
    if (!stepped.ok) return; // it waits for the signal no more (its catcher fired or ended meanwhile), or has ended
    const written = await this.path.writeStep(query, model, stepped, ctx);
    add(out, written);
    out.delivered += received(written.effects, broadcast.key);
  }

  /** A new instance at a signal start event, with the signal's variables; one that cannot start is logged and left out. */
  private async start(start: StartEventRow, broadcast: BroadcastRow, tx: FastTransaction, ctx: StepContext, out: Batch): Promise<void> {
    const query = (sql: string, bindings: readonly unknown[]) => tx.query(sql, bindings as Knex.RawBinding[]);
    const { row, model } = await this.definitions.byKey(start.definition_key, query);
    const id = randomUUID();
    const started = startInstance(model, { id, definitionKey: row.key, version: row.version }, broadcast.variables, ctx, start.element_id);
    if (!started.ok) {
      this.logger.warn({ signalKey: broadcast.key, processId: start.process_id, reason: started.rejection.message }, 'a signal start event could not start an instance');
      return;
    }
    const payload = { signalName: broadcast.name, signalKey: broadcast.key, catchElementId: start.element_id, variables: broadcast.variables };
    const receivedAt: Effect = { type: 'AUDIT', event: { type: 'SIGNAL_RECEIVED', elementId: start.element_id, payload } };
    const written = await this.path.writeStep(query, model, { state: started.state, effects: [receivedAt, ...started.effects] }, ctx, {
      process_id: model.id,
      version: row.version,
      definition_key: row.key,
      business_key: null,
    });
    add(out, written);
    out.started.push({ processInstanceId: id, processId: model.id });
  }
}

interface WaitingInstance {
  id: string;
  state: InstanceState;
  definition_key: string;
}

type StepContext = ReturnType<typeof stepContext>;

interface StartEventRow {
  process_id: string;
  definition_key: string;
  element_id: string;
}

function add(out: Batch, written: { statement: Statement; outbox: OutboxRow[]; openings: MessageOpenings; notifications: string[]; signals: string[]; tally: CommitTally }): void {
  out.statements.push(written.statement);
  out.outbox.push(...written.outbox);
  out.openings.push(written.openings);
  out.notifications.push(...written.notifications);
  out.signals.push(...written.signals);
  out.tallies.push(written.tally);
}

/** How many of an instance's catchers got this signal in its step (its path may throw and catch other signals too). */
function received(effects: Effect[], signalKey: string): number {
  return effects.filter((e) => e.type === 'AUDIT' && e.event.type === 'SIGNAL_RECEIVED' && e.event.payload?.signalKey === signalKey).length;
}
