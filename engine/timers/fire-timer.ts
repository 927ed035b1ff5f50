/**
 * What firing one claimed timer writes, inside the sweep's transaction:
 *
 * - a timer of an instance: the pure step (FIRE_TIMER) on the instance's
 *   state, locked by the sweep; its effects close the row as FIRED (and arm
 *   a cycle's next firing). A refusal means nothing waits on it any more (a
 *   stale row): the row is closed as CANCELED.
 * - a timer start event's schedule: a new instance started at the event,
 *   the row closed as FIRED and, while the cycle lasts, its next firing.
 *   The schedule is fired only while no deployment of the process is
 *   replacing it (the deployment holds the process's advisory lock; the
 *   sweep asks for it shared, without waiting).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { startInstance, step } from '../runtime/step.js';
import { nextOccurrence } from '../runtime/waits/timer-schedule.js';
import type { Effect, InstanceState } from '../runtime/types.js';
import { effectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import type { FastTransaction } from '../persistence/fast-transaction.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import { stepContext } from '../service/command-path.js';
import { closeTimer, insertStartTimer, type Statement, type TimerRow } from './timer-rows.js';
import { startChildren, type ChildWrites } from '../calls/child-starts.js';

/** Who the audit says fired a timer. */
export const TIMER_ACTOR = 'engine';

/** What a pass of the sweep writes, gathered timer by timer. */
export interface Firings {
  /** Instance timers' steps, in firing order; written together (timer-sweep.ts). */
  steps: { state: InstanceState; effects: Effect[] }[];
  /** Everything else: start timers' new instances and schedules, stale and broken rows. */
  statements: Statement[];
  outbox: OutboxRow[];
  /** Notes to other instances the firings wrote (call activities), to deliver after the commit. */
  notifications: string[];
  /** Message subscriptions the new instances and children opened: buffered messages may wait for them. */
  openings: MessageOpenings[];
  /** Signals the firings' steps broadcast, to deliver after the commit (engine/signals). */
  signals: string[];
  /** What the start timers' new instances and the children count for the metrics (the steps' own are counted as they are written). */
  tallies: CommitTally[];
  fired: number;
}

/** A locked instance, its state moving on as its timers in this pass fire one after another. */
export interface LockedInstance {
  state: InstanceState;
  definitionKey: string;
}

export class TimerFiring {
  constructor(
    private readonly definitions: DefinitionRepository,
    private readonly logger: Logger,
  ) {}

  async instanceTimer(timer: TimerRow, instance: LockedInstance, tx: FastTransaction, now: Date, out: Firings): Promise<void> {
    const { model } = await this.definitions.byKey(instance.definitionKey, (sql, bindings) => tx.query(sql, bindings));
    const stepped = step(model, instance.state, { type: 'FIRE_TIMER', timerId: timer.id }, stepContext(now, TIMER_ACTOR));
    if (!stepped.ok) {
      this.logger.info({ timerId: timer.id, processInstanceId: timer.process_instance_id, reason: stepped.rejection.message }, 'timer no longer awaited; closed as canceled');
      out.statements.push(closeTimer(timer.id, 'CANCELED', now));
      return;
    }
    // A timer's path may reach a call activity: its child is started in the sweep's transaction too.
    const resolved = await startChildren((sql, bindings) => tx.query(sql, bindings as never), this.definitions, model, stepped, stepContext(now, TIMER_ACTOR));
    instance.state = resolved.state;
    out.steps.push({ state: resolved.state, effects: resolved.effects });
    addChildWrites(out, resolved);
    out.fired++;
  }

  async startTimer(timer: TimerRow, tx: FastTransaction, now: Date, out: Firings): Promise<void> {
    const [lock] = await tx.query('SELECT pg_try_advisory_xact_lock_shared(hashtext(?)) AS free', [`weft.process:${timer.process_id}`]);
    if (!lock.free) return; // a deployment is replacing this schedule; if it keeps it, a later pass fires it
    const { row, model } = await this.definitions.byKey(timer.definition_key, (sql, bindings) => tx.query(sql, bindings));
    const id = randomUUID();
    const started = startInstance(model, { id, definitionKey: row.key, version: row.version }, {}, stepContext(now, TIMER_ACTOR), timer.element_id);
    if (!started.ok) {
      this.logger.warn({ timerId: timer.id, reason: started.rejection.message }, 'timer start event cannot start an instance; its schedule is canceled');
      out.statements.push(closeTimer(timer.id, 'CANCELED', now));
      return;
    }
    const dueAt = timer.due_at.toISOString();
    const fired: Effect = { type: 'AUDIT', event: { type: 'TIMER_FIRED', elementId: timer.element_id, payload: { timerId: timer.id, catchElementId: timer.element_id, dueAt } } };
    const resolved = await startChildren((sql, bindings) => tx.query(sql, bindings as never), this.definitions, model, started, stepContext(now, TIMER_ACTOR));
    const written = effectsStatement(resolved.state, [fired, ...resolved.effects], {
      actor: TIMER_ACTOR,
      now,
      insert: { process_id: model.id, version: row.version, definition_key: row.key, business_key: null },
      childStartsHandled: true,
    });
    out.statements.push(written.statement, closeTimer(timer.id, 'FIRED', now));
    out.outbox.push(...written.outbox);
    out.notifications.push(...written.notifications);
    out.openings.push(written.openings);
    out.signals.push(...written.signals);
    out.tallies.push(written.tally);
    addChildWrites(out, resolved);
    out.fired++;
    const next = timer.repeat ? nextOccurrence(timer.repeat, dueAt, now.toISOString()) : null;
    if (next) {
      const schedule = { id: randomUUID(), definitionKey: timer.definition_key, processId: timer.process_id, elementId: timer.element_id, ...next };
      out.statements.push(...insertStartTimer(schedule, now));
    }
  }
}

function addChildWrites(out: Firings, writes: ChildWrites): void {
  out.statements.push(...(writes.statements as Statement[]));
  out.outbox.push(...writes.outbox);
  out.notifications.push(...writes.notifications);
  out.openings.push(...writes.openings);
  out.signals.push(...writes.signals);
  out.tallies.push(...writes.tallies);
}
