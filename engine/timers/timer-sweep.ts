/**
 * The timer sweep, run by every engine process (no leader): one pass claims
 * the timers that are due (SKIP LOCKED, so two engines never take the same
 * one), locks their instances, fires each through the pure step, writes
 * every effect with the COMMIT, then relays the outbox rows the firings
 * wrote. Timers live only in Postgres: an engine holds none in memory, and
 * after a restart or a Redis flush the next pass finds the overdue ones.
 *
 * One timer cannot hold up the others: a step that refuses closes the row;
 * a step that throws (a bug) puts that timer back a minute and the rest
 * fire; a batch whose write fails is fired again timer by timer.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { fastTransaction } from '../persistence/fast-transaction.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import type { CommandPath } from '../service/command-path.js';
import { TimerFiring, type Firings, type LockedInstance } from './fire-timer.js';
import { claimDue, dueIds, joined, lockInstances, NEXT_DUE, postponeTimer, type TimerRow } from './timer-rows.js';

/** Timers fired in one transaction. */
export const TIMER_BATCH = 250;
/** How long a timer whose firing threw waits before it is tried again. */
const RETRY_BROKEN_MS = 60_000;

export interface SweepResult {
  /** Timers claimed (fired, closed as stale, or left for a later pass because their instance was busy). */
  claimed: number;
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
    const outcome = await fastTransaction(this.db, claimDue(now, limit, only), async (rows, tx) => {
      const timers = rows as TimerRow[];
      const out: Firings = { statements: [], outbox: [], fired: 0 };
      const instanceIds = [...new Set(timers.flatMap((t) => (t.process_instance_id ? [t.process_instance_id] : [])))];
      const locked = new Map<string, LockedInstance>();
      if (instanceIds.length > 0) {
        const lock = lockInstances(instanceIds);
        for (const r of await tx.query(lock.sql, lock.bindings)) locked.set(r.id, { state: r.state, definitionKey: r.definition_key });
      }
      for (const timer of timers) {
        try {
          if (!timer.process_instance_id) await this.firing.startTimer(timer, tx, now, out);
          else {
            const instance = locked.get(timer.process_instance_id);
            // Not locked: a command holds the instance right now; the timer stays due for the next pass.
            if (instance) await this.firing.instanceTimer(timer, instance, tx, now, out);
          }
        } catch (error) {
          this.logger.error({ err: error, timerId: timer.id, processInstanceId: timer.process_instance_id }, 'firing a timer failed; it is tried again in a minute');
          out.statements.push(postponeTimer(timer.id, new Date(now.getTime() + RETRY_BROKEN_MS)));
        }
      }
      return { result: { claimed: timers.length, fired: out.fired, outbox: out.outbox }, finalSql: joined(out.statements) };
    });
    await this.path.afterCommit(outcome.outbox);
    return { claimed: outcome.claimed, fired: outcome.fired };
  }

  private async oneByOne(now: Date): Promise<SweepResult> {
    const query = dueIds(now, this.batchSize);
    const { rows } = await this.db.raw(query.sql, query.bindings);
    const result: SweepResult = { claimed: 0, fired: 0 };
    for (const { id } of rows as { id: string }[]) {
      try {
        const single = await this.pass(now, 1, [id]);
        result.claimed += single.claimed;
        result.fired += single.fired;
      } catch (error) {
        this.logger.error({ err: error, timerId: id }, 'firing a timer failed; it is tried again in a minute');
        const postpone = postponeTimer(id, new Date(now.getTime() + RETRY_BROKEN_MS));
        await this.db.raw(postpone.sql, postpone.bindings).catch(() => undefined);
      }
    }
    return result;
  }
}
