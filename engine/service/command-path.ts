/**
 * The engine's write path. Every command on an instance runs in one Postgres
 * transaction with the instance row locked, calls the pure step function,
 * writes its effects (one statement) and commits; after commit the outbox
 * rows are relayed to BullMQ.
 *
 * Starts, job commands and activations that arrive together (many workers at
 * once) are gathered by MicroBatchers and carried by one transaction each.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { startInstance, step } from '../runtime/step.js';
import type { Command, Effect, InstanceState, Rejection, StepResult } from '../runtime/types.js';
import { WeftError, type ErrorCode, ErrorCodes } from '../errors.js';
import { effectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import { mergeTallies } from '../observability/metrics/commit-tally.js';
import { inSpan, withContext } from '../observability/tracing/tracing.js';
import type { Context } from '@opentelemetry/api';
import { startChildren, type Query } from '../calls/child-starts.js';
import type { ExecutableProcess } from '../model/types.js';
import type { NewInstanceRow } from '../persistence/write-set.js';
import { fastTransaction, runStatements, type BeforeCommit, type FastTransaction } from '../persistence/fast-transaction.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import { MicroBatcher, type BatchItem } from './micro-batcher.js';
import { groupWrites, type BatchWrites, type PreparedStep } from './batch-writes.js';
import { runJobBatch } from './job-command-batch.js';
import { activateBatch } from './job-activation.js';
import { committedStates, loadState, prefetchedEntries, prefetchStatement } from '../persistence/instance-store.js';
import type { EngineServiceDeps, GroupCommit } from './engine-service.js';
import type { ActivatedJob, CompletionResult, InstanceSummary, StartInstanceRequest } from './types.js';

export class CommandPath {
  private readonly starts = new MicroBatcher<{ req: StartInstanceRequest; actor: string }, InstanceSummary>((batch) => this.runStartBatch(batch));
  private readonly jobCommands = new MicroBatcher<JobCommandInput, CompletionResult>((batch) => runJobBatch(this, batch));
  private readonly activations = new MicroBatcher<{ jobKey: string; workerId: string; timeoutMs: number }, ActivatedJob | null>((batch) => activateBatch(this.deps, batch));

  /**
   * Called after a commit whose steps opened message subscriptions or freed a
   * message start event's correlation key: buffered messages may be waiting
   * for them (engine/messages). Its failure is logged, never the command's.
   */
  onOpenings?: (openings: MessageOpenings) => Promise<void>;

  constructor(
    readonly deps: EngineServiceDeps,
    readonly definitions: DefinitionRepository,
  ) {}

  // The spans (when tracing is on) name ids only: never variables (engine/observability/tracing).
  start(req: StartInstanceRequest, actor: string): Promise<InstanceSummary> {
    return inSpan('weft.start_instance', { 'weft.process_id': req.processId }, () => this.starts.submit({ req, actor }));
  }

  activateJob(jobKey: string, workerId: string, timeoutMs: number): Promise<ActivatedJob | null> {
    return inSpan('weft.activate_job', { 'weft.job_key': jobKey }, () => this.activations.submit({ jobKey, workerId, timeoutMs }));
  }

  /**
   * Creates instances: each start is stepped to its first wait states, and the
   * batch's starts are written as ONE statement (instances, jobs, tasks,
   * outbox, audit: batch-writes.ts), which commits as a whole. If that fails
   * (one start's correlation key is taken, say), each start is written on its
   * own, so one refusal does not take the others with it.
   */
  private async runStartBatch(batch: BatchItem<{ req: StartInstanceRequest; actor: string }, InstanceSummary>[]): Promise<void> {
    const now = new Date();
    const definitions = new Map<string, Promise<Awaited<ReturnType<DefinitionRepository['find']>>>>();
    const query: Query = (sql, bindings) => this.deps.db.raw(sql, bindings as Knex.RawBinding[]).then((r) => r.rows);
    const prepared: { item: (typeof batch)[number]; summary: InstanceSummary; step: PreparedStep }[] = [];
    for (const item of batch) {
      const { req, actor } = item.input;
      try {
        const which = `${req.processId}@${req.version ?? 'latest'}`;
        if (!definitions.has(which)) definitions.set(which, this.definitions.find(req.processId, req.version));
        const { row, model } = await definitions.get(which)!;
        const id = randomUUID();
        const ctx = context(now, actor);
        const result = startInstance(model, { id, definitionKey: row.key, version: row.version, businessKey: req.businessKey }, req.variables ?? {}, ctx);
        this.accepted(result);
        const resolved = await withContext(item.context, () => startChildren(query, this.definitions, model, result as Extract<StepResult, { ok: true }>, ctx));
        const insert: NewInstanceRow = { process_id: model.id, version: row.version, definition_key: row.key, business_key: req.businessKey ?? null };
        const step: PreparedStep = { state: resolved.state, effects: resolved.effects, actor, traceContext: item.context, children: resolved, insert, startKey: req.startKey };
        const summary: InstanceSummary = {
          id,
          processId: model.id,
          version: row.version,
          state: resolved.state.status,
          businessKey: req.businessKey ?? null,
          createdAt: now.toISOString(),
          endedAt: resolved.state.status === 'ACTIVE' ? null : now.toISOString(),
        };
        prepared.push({ item, summary, step });
      } catch (error) {
        item.reject(error);
      }
    }
    if (prepared.length === 0) return;
    const write = async (group: typeof prepared, hold?: BeforeCommit) => {
      const writes = groupWrites(group.map((p) => p.step), now);
      await runStatements(this.deps.db, writes.statements, hold);
      return writes;
    };
    // Only once committed: what follows a commit must never lead to writing a start again.
    const settle = async (group: typeof prepared, writes: BatchWrites) => {
      committedStates(writes.states);
      await this.committed(writes.outbox, writes.openings, writes.notifications, writes.signals, writes.tallies, writes.states.map((s) => s.id));
      for (const p of group) p.item.resolve(p.summary);
    };
    let writes: BatchWrites;
    try {
      writes = await write(prepared, this.heldBy(() => ({ kind: 'starts', commands: prepared.length, jobKeys: [], instanceIds: prepared.map((p) => p.summary.id) })));
    } catch (error) {
      if (prepared.length === 1) {
        prepared[0].item.reject(error);
        return;
      }
      this.deps.logger.warn({ err: error, size: prepared.length }, 'start batch failed; writing its starts one by one');
      for (const p of prepared) {
        let alone: BatchWrites;
        try {
          alone = await write([p]);
        } catch (single) {
          p.item.reject(single);
          continue;
        }
        await settle([p], alone);
      }
      return;
    }
    await settle(prepared, writes);
  }

  /**
   * A job command is a no-op when the job already ended the same way (a worker
   * that runs twice completes twice). Job commands arriving together are
   * carried by one transaction (see runJobBatch); alone, by the single path.
   */
  jobCommand(jobKey: string, actor: string, command: Command): Promise<CompletionResult> {
    return inSpan(`weft.job_command ${command.type}`, { 'weft.job_key': jobKey }, () => this.jobCommands.submit({ jobKey, actor, command }));
  }

  /** One job command: the job row and its instance found and the instance locked in one query. */
  /** @internal for job-command-batch.ts */
  async singleJobCommand({ jobKey, actor, command }: JobCommandInput): Promise<CompletionResult> {
    const lock = {
      sql: `SELECT pi.id, pi.state, pi.revision, pi.definition_key, j.state AS job_state
              FROM jobs j JOIN process_instances pi ON pi.id = j.process_instance_id
             WHERE j.key = ? FOR UPDATE OF pi`,
      bindings: [jobKey],
      instances: { sql: 'SELECT process_instance_id FROM jobs WHERE key = ?', bindings: [jobKey] },
      notFound: () => new WeftError('JOB_NOT_FOUND', `No job with key ${jobKey}`),
    };
    return this.commandHere(lock, command, actor, async (tx, row, rejected) => {
      // The joined job state may predate the lock wait; read it again when it matters.
      const jobState = rejected ? (await tx.query('SELECT state FROM jobs WHERE key = ?', [jobKey]))[0].state : row.job_state;
      if (jobState === 'COMPLETED' && command.type === 'COMPLETE_JOB') return { duplicate: true };
      if (jobState !== 'ACTIVATABLE' && jobState !== 'ACTIVATED') throw new WeftError('JOB_NOT_ACTIVE', `Job ${jobKey} is ${jobState}`);
      return null;
    });
  }

  /**
   * Locks the instance (`lock`), runs `guard` (which may answer without a
   * step), steps, writes the effects, commits, relays. When the step refuses
   * the command, `guard` is asked again with `rejected` set, so a refusal
   * that is really a duplicate completion answers as one.
   */
  command(
    lock: LockQuery,
    command: Command,
    actor: string,
    guard?: (tx: FastTransaction, row: LockedInstance, rejected: boolean) => Promise<CompletionResult | null>,
  ): Promise<CompletionResult> {
    // A span of its own, so what the command creates is traced even when no request began it (a note, a sweep).
    return inSpan(`weft.command ${command.type}`, {}, () => this.commandHere(lock, command, actor, guard));
  }

  private async commandHere(
    lock: LockQuery,
    command: Command,
    actor: string,
    guard?: (tx: FastTransaction, row: LockedInstance, rejected: boolean) => Promise<CompletionResult | null>,
  ): Promise<CompletionResult> {
    const now = new Date();
    let written: InstanceState | undefined;
    // The locked instance's entries come in the lock's round trip (instance-store.ts, prefetchStatement).
    const prefetch = lock.instances && prefetchStatement(lock.instances);
    const begin = prefetch ? { sql: `${lock.sql};\n${prefetch.sql}`, bindings: [...lock.bindings, ...prefetch.bindings] as Knex.RawBinding[] } : lock;
    const outcome = await fastTransaction(this.deps.db, begin, async (rows, tx, later) => {
      const row = rows[0] as LockedInstance | undefined;
      if (!row) throw lock.notFound();
      const early = guard ? await guard(tx, row, false) : null;
      if (early) return { result: { result: early, outbox: [] as OutboxRow[], openings: NO_OPENINGS, notifications: [] as string[], signals: [] as string[], tallies: [] as CommitTally[] } };
      const { model } = await this.definitions.byKey(row.definition_key, (sql, bindings) => tx.query(sql, bindings));
      // The state belongs to this transaction (instance-store.ts): stepped in place, kept only if it commits.
      const state = await loadState((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), row as never, prefetch ? prefetchedEntries(later[0]) : undefined);
      const stepped = step(model, state, command, context(now, actor), { inPlace: true });
      if (!stepped.ok && guard) {
        const answer = await guard(tx, row, true);
        if (answer) return { result: { result: answer, outbox: [] as OutboxRow[], openings: NO_OPENINGS, notifications: [] as string[], signals: [] as string[], tallies: [] as CommitTally[] } };
      }
      this.accepted(stepped);
      const step_ = await this.writeStep((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), model, stepped as Extract<StepResult, { ok: true }>, context(now, actor));
      written = step_.state;
      return { result: { result: { duplicate: false }, outbox: step_.outbox, openings: step_.openings, notifications: step_.notifications, signals: step_.signals, tallies: [step_.tally] }, finalSql: step_.statement };
    });
    if (written) committedStates([written]);
    await this.committed(outcome.outbox, [outcome.openings], outcome.notifications, outcome.signals, outcome.tallies, written ? [written.id] : []);
    return outcome.result;
  }

  /** The test hook `inGroupCommit` as a group commit's beforeCommit (what it holds described only when called); none unless set. */
  heldBy(describe: () => Omit<GroupCommit, 'backendPid'>): BeforeCommit | undefined {
    const hook = this.deps.inGroupCommit;
    return hook && ((backendPid) => hook({ ...describe(), backendPid }));
  }

  private accepted(result: StepResult): InstanceState {
    if (result.ok) return result.state;
    throw rejectionError(result.rejection);
  }

  /**
   * What one step writes: its effects and the child instances its call
   * activities start (in the same transaction), as one statement.
   */
  async writeStep(
    query: Query,
    model: ExecutableProcess,
    stepped: { state: InstanceState; effects: Effect[] },
    ctx: ReturnType<typeof context>,
    insert?: NewInstanceRow,
    options: { omitInstance?: boolean; traceContext?: Context } = {},
  ) {
    // Written in the trace of the command's own caller (a batch's item's, not the batch's first), so its queue messages continue it.
    return withContext(options.traceContext, () => this.writeStepHere(query, model, stepped, ctx, insert, options.omitInstance));
  }

  private async writeStepHere(query: Query, model: ExecutableProcess, stepped: { state: InstanceState; effects: Effect[] }, ctx: ReturnType<typeof context>, insert: NewInstanceRow | undefined, omitInstance: boolean | undefined) {
    const resolved = await startChildren(query, this.definitions, model, stepped, ctx);
    const own = effectsStatement(resolved.state, resolved.effects, { actor: ctx.actor.id, now: new Date(ctx.now), insert, childStartsHandled: true, omitInstance });
    const statements = [own.statement, ...resolved.statements];
    return {
      state: resolved.state,
      effects: resolved.effects,
      statement: { sql: statements.map((st) => st.sql).join(';\n'), bindings: statements.flatMap((st) => st.bindings) as Knex.RawBinding[] },
      outbox: [...own.outbox, ...resolved.outbox],
      openings: mergeOpenings([own.openings, ...resolved.openings]),
      notifications: [...own.notifications, ...resolved.notifications],
      signals: [...own.signals, ...resolved.signals],
      tally: mergeTallies([own.tally, ...resolved.tallies]),
    };
  }

  /** Where notes to other instances go once committed (call-activity ends, cancels); set by the engine service. */
  onNotifications?: (keys: string[]) => void;

  /** Where signals broadcast by committed steps go (to every other instance and the signal start events); set by the engine service. */
  onSignals?: (keys: string[]) => void;

  /**
   * Told the instances a commit changed, right after it (the operations
   * page's live updates, service/commit-observers.ts). Must not throw or
   * wait: it runs on every command's path.
   */
  onChanged?: (instanceIds: string[]) => void;

  /**
   * What follows every commit: its outbox rows are relayed, notes to other
   * instances are delivered (onNotifications) and signals its steps broadcast
   * (onSignals), then buffered messages are looked for on behalf of what its
   * steps opened (onOpenings). What the steps count for the metrics is
   * counted here first, once the commit is certain (commit-tally.ts).
   */
  async committed(rows: OutboxRow[], openings: MessageOpenings[] = [], notifications: string[] = [], signals: string[] = [], tallies: CommitTally[] = [], changed: string[] = []): Promise<void> {
    if (tallies.length > 0) this.deps.metrics?.countCommitted(tallies);
    if (changed.length > 0) this.onChanged?.(changed);
    if (notifications.length > 0) this.onNotifications?.(notifications);
    if (signals.length > 0) this.onSignals?.(signals);
    if (rows.length > 0) {
      this.deps.afterCommit?.();
      try {
        await this.deps.relay.relay(rows.map((r) => ({ id: r.id, queue: r.queue, payload: r.payload, availableAt: new Date(r.available_at) })));
      } catch (error) {
        // Committed work is safe in the outbox; the sweep relays it when Redis is back.
        this.deps.logger.warn({ err: error }, 'outbox relay failed; the sweep will retry');
      }
    }
    const opened = mergeOpenings(openings);
    if (!this.onOpenings || (opened.subscriptions.length === 0 && opened.freedStartKeys.length === 0)) return;
    try {
      await this.onOpenings(opened);
    } catch (error) {
      // The step is committed; the messages sweep finds what this missed.
      this.deps.logger.warn({ err: error }, 'looking for buffered messages failed; the sweep will retry');
    }
  }
}

interface LockedInstance {
  id: string;
  /** The header only (instance-store.ts): status, incidents, parent link — no element instances, jobs or waits. */
  state: InstanceState;
  revision?: string;
  definition_key: string;
  job_state?: string;
}

export interface JobCommandInput {
  jobKey: string;
  actor: string;
  command: Command;
}

const NO_OPENINGS: MessageOpenings = { subscriptions: [], freedStartKeys: [] };

function mergeOpenings(list: MessageOpenings[]): MessageOpenings {
  if (list.length === 1) return list[0];
  return { subscriptions: list.flatMap((o) => o.subscriptions), freedStartKeys: list.flatMap((o) => o.freedStartKeys) };
}

export function rejectionError(rejection: Rejection): WeftError {
  const code = (rejection.code in ErrorCodes ? rejection.code : 'BAD_REQUEST') as ErrorCode;
  return new WeftError(code, rejection.message);
}

interface LockQuery {
  sql: string;
  bindings: string[];
  /** The ids of the instances it locks, as a subquery: their entries are then read in the lock's round trip. */
  instances?: { sql: string; bindings: string[] };
  notFound: () => WeftError;
}

export function lockInstance(id: string): LockQuery {
  return {
    sql: 'SELECT id, state, revision, definition_key FROM process_instances WHERE id = ? FOR UPDATE',
    bindings: [id],
    instances: { sql: 'SELECT ?::uuid', bindings: [id] },
    notFound: () => new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${id}`),
  };
}

export function context(now: Date, actor: string) {
  return { now: now.toISOString(), newId: randomUUID, actor: { id: actor } };
}
export { context as stepContext };

