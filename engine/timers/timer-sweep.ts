/**
 * The timer sweep, run by every engine process (no leader): one pass locks
 * the instances that have timers due (SKIP LOCKED, so two engines never take
 * the same one) and claims the due firings of timer start events, fires each
 * timer through the pure step, writes every effect with the COMMIT, then
 * relays the outbox rows the firings wrote. Timers live only in Postgres:
 * an engine holds none in memory, and after a restart or a Redis flush the
 * next pass finds the overdue ones.
 *
 * One timer cannot hold up the others: a step that refuses closes the row;
 * a step that throws (a bug) puts that timer back a minute and the rest
 * fire; a batch whose write fails is fired again timer by timer.
 */
import { loadStates, type StoredInstanceRow } from '../persistence/instance-store.js';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { fastTransaction, type FastTransaction } from '../persistence/fast-transaction.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import type { CommandPath } from '../service/command-path.js';
import { batchEffectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import { openSpan, withContext, type OpenSpan } from '../observability/tracing/tracing.js';
import { TIMER_ACTOR, TimerFiring, type Firings, type LockedInstance } from './fire-timer.js';
import { claimDueStartTimers, dueIds, dueTimersOf, joined, lockDueInstances, NEXT_DUE, postponeTimer, type Statement, type TimerRow } from './timer-rows.js';

/** Timers fired in one transaction. */
export const TIMER_BATCH = 250;
/** How long a timer whose firing threw waits before it is tried again. */
const RETRY_BROKEN_MS = 60_000;

export interface SweepResult {
  /** The pass took as much as a batch holds: more may be due. */
  full: boolean;
  fired: number;
}

export class TimerSweep {
  private readonly firing: TimerFiring;

  constructor(
    private readonly db: Knex,
    definitions: DefinitionRepository,
    private readonly path: CommandPath,
    private readonly logger: Logger,
    readonly batchSize = TIMER_BATCH,
  ) {
    this.firing = new TimerFiring(definitions, logger);
  }

  /** One pass over the timers due now. */
  async sweep(): Promise<SweepResult> {
    const now = new Date();
    try {
      return await this.pass(now, this.batchSize);
    } catch (error) {
      this.logger.warn({ err: error }, 'timer batch failed; firing its timers one by one');
      return this.oneByOne(now);
    }
  }

  /** When the next active timer is due; null when none is. */
  async nextDue(): Promise<Date | null> {
    const { rows } = await this.db.raw(NEXT_DUE);
    return rows[0]?.due_at ?? null;
  }

  private async pass(now: Date, limit: number, only?: string[]): Promise<SweepResult> {
    // A pass that fires something is a span (tracing on): the jobs its firings create are traced from it. An idle pass is none.
    const traced: { span?: OpenSpan } = {};
    try {
      const outcome = await fastTransaction(this.db, lockDueInstances(now, limit, only), async (rows, tx) => {
        const query = (statement: Statement) => tx.query(statement.sql, statement.bindings);
        const states = await loadStates((sql, bindings) => tx.query(sql, bindings as never), rows as StoredInstanceRow[]);
        const locked = new Map<string, LockedInstance>(rows.map((r) => [r.id, { state: states.get(r.id)!, definitionKey: r.definition_key }]));
        const instanceTimers = locked.size > 0 ? ((await query(dueTimersOf([...locked.keys()], now, only))) as TimerRow[]) : [];
        const startTimers = (await query(claimDueStartTimers(now, limit, only))) as TimerRow[];
        const due = [...instanceTimers, ...startTimers];
        if (due.length > 0) traced.span = openSpan('weft.fire_timers', { 'weft.timer_count': due.length });
        const fired = await withContext(traced.span?.context, () => this.fire(due, locked, tx, now));
        const full = locked.size >= limit || startTimers.length >= limit;
        const steps = withContext(traced.span?.context, () => this.written(fired.steps, now));
        return {
          result: {
            full,
            fired: fired.fired,
            outbox: [...steps.outbox, ...fired.outbox],
            openings: [...steps.openings, ...fired.openings],
            notifications: [...steps.notifications, ...fired.notifications],
            signals: [...steps.signals, ...fired.signals],
            tallies: [...steps.tallies, ...fired.tallies],
            changed: fired.steps.map((s) => s.state.id),
          },
          finalSql: joined([...steps.statements, ...fired.statements]),
        };
      });
      // What the firings opened may have a buffered message waiting (a message catch after a timer).
      await withContext(traced.span?.context, () => this.path.committed(outcome.outbox, outcome.openings, outcome.notifications, outcome.signals, outcome.tallies, outcome.changed));
      traced.span?.end();
      return { full: outcome.full, fired: outcome.fired };
    } catch (error) {
      traced.span?.end(error);
      throw error;
    }
  }

  /** Fires each due timer through the pure step; one that throws (a bug) is put back a minute and the rest fire. */
  private async fire(due: TimerRow[], locked: Map<string, LockedInstance>, tx: FastTransaction, now: Date): Promise<Firings> {
    const out: Firings = { steps: [], statements: [], outbox: [], notifications: [], openings: [], signals: [], tallies: [], fired: 0 };
    for (const timer of due) {
      try {
        if (timer.process_instance_id) await this.firing.instanceTimer(timer, locked.get(timer.process_instance_id)!, tx, now, out);
        else await this.firing.startTimer(timer, tx, now, out);
      } catch (error) {
        this.logger.error({ err: error, timerId: timer.id, processInstanceId: timer.process_instance_id }, 'firing a timer failed; it is tried again in a minute');
        out.statements.push(postponeTimer(timer.id, new Date(now.getTime() + RETRY_BROKEN_MS)));
      }
    }
    return out;
  }

  /**
   * The instances' steps as few statements as possible: one per round, the
   * first firing of every instance in the first, an instance's second timer
   * in the same pass in the second, and so on (a statement takes each
   * instance once; the last round holds each instance's latest state).
   */
  private written(steps: Firings['steps'], now: Date): { statements: Statement[]; outbox: OutboxRow[]; openings: MessageOpenings[]; notifications: string[]; signals: string[]; tallies: CommitTally[] } {
    const rounds: Firings['steps'][] = [];
    const seen = new Map<string, number>();
    for (const s of steps) {
      const round = seen.get(s.state.id) ?? 0;
      seen.set(s.state.id, round + 1);
      (rounds[round] ??= []).push(s);
    }
    // Their children were started as they fired (fire-timer.ts).
    const written = rounds.map((round) => batchEffectsStatement(round, { actor: TIMER_ACTOR, now, childStartsHandled: true }));
    return {
      statements: written.map((w) => w.statement),
      outbox: written.flatMap((w) => w.outbox),
      openings: written.flatMap((w) => w.openings),
      notifications: written.flatMap((w) => w.notifications),
      signals: written.flatMap((w) => w.signals),
      tallies: written.map((w) => w.tally),
    };
  }

  private async oneByOne(now: Date): Promise<SweepResult> {
    const query = dueIds(now, this.batchSize);
    const { rows } = await this.db.raw(query.sql, query.bindings);
    const result: SweepResult = { full: rows.length >= this.batchSize, fired: 0 };
    for (const { id } of rows as { id: string }[]) {
      try {
        result.fired += (await this.pass(now, 1, [id])).fired;
      } catch (error) {
        this.logger.error({ err: error, timerId: id }, 'firing a timer failed; it is tried again in a minute');
        const postpone = postponeTimer(id, new Date(now.getTime() + RETRY_BROKEN_MS));
        await this.db.raw(postpone.sql, postpone.bindings).catch(() => undefined);
      }
    }
    return result;
  }
}
