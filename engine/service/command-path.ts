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
import { batchEffectsStatement, effectsStatement, type CommitTally, type MessageOpenings, type OutboxRow } from '../persistence/effect-applier.js';
import { mergeTallies } from '../observability/metrics/commit-tally.js';
import { inSpan, withContext } from '../observability/tracing/tracing.js';
import type { Context } from '@opentelemetry/api';
import { startChildren, type Query } from '../calls/child-starts.js';
import type { ExecutableProcess } from '../model/types.js';
import type { NewInstanceRow } from '../persistence/write-set.js';
import { fastTransaction, runStatements, type BeforeCommit, type FastTransaction } from '../persistence/fast-transaction.js';
import type { DefinitionRepository } from '../persistence/definition-repository.js';
import { MicroBatcher, type BatchItem } from './micro-batcher.js';
import { committedStates, loadState, loadStates } from '../persistence/instance-store.js';
import type { EngineServiceDeps, GroupCommit } from './engine-service.js';
import type { ActivatedJob, CompletionResult, InstanceSummary, StartInstanceRequest } from './types.js';

export class CommandPath {
  private readonly starts = new MicroBatcher<{ req: StartInstanceRequest; actor: string }, InstanceSummary>((batch) => this.runStartBatch(batch));
  private readonly jobCommands = new MicroBatcher<JobCommandInput, CompletionResult>((batch) => this.runJobBatch(batch));
  private readonly activations = new MicroBatcher<{ jobKey: string; workerId: string; timeoutMs: number }, ActivatedJob | null>((batch) => this.activateBatch(batch));

  /**
   * Called after a commit whose steps opened message subscriptions or freed a
   * message start event's correlation key: buffered messages may be waiting
   * for them (engine/messages). Its failure is logged, never the command's.
   */
  onOpenings?: (openings: MessageOpenings) => Promise<void>;

  constructor(
    private readonly deps: EngineServiceDeps,
    private readonly definitions: DefinitionRepository,
  ) {}

  // The spans (when tracing is on) name ids only: never variables (engine/observability/tracing).
  start(req: StartInstanceRequest, actor: string): Promise<InstanceSummary> {
    return inSpan('weft.start_instance', { 'weft.process_id': req.processId }, () => this.starts.submit({ req, actor }));
  }

  activateJob(jobKey: string, workerId: string, timeoutMs: number): Promise<ActivatedJob | null> {
    return inSpan('weft.activate_job', { 'weft.job_key': jobKey }, () => this.activations.submit({ jobKey, workerId, timeoutMs }));
  }

  /**
   * Creates instances: each start is stepped to its first wait states and
   * written as one statement (instance, jobs, tasks, outbox, audit); a batch
   * of starts goes to Postgres as one multi-statement query, which commits
   * as a whole. If that fails, each start is written on its own.
   */
  private async runStartBatch(batch: BatchItem<{ req: StartInstanceRequest; actor: string }, InstanceSummary>[]): Promise<void> {
    const now = new Date();
    const definitions = new Map<string, Promise<Awaited<ReturnType<DefinitionRepository['find']>>>>();
    const prepared: {
      item: (typeof batch)[number];
      summary: InstanceSummary;
      statement: { sql: string; bindings: readonly Knex.RawBinding[] };
      state: InstanceState;
      outbox: OutboxRow[];
      openings: MessageOpenings;
      notifications: string[];
      signals: string[];
      tally: CommitTally;
    }[] = [];
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
        const written = await this.writeStep((sql, bindings) => this.deps.db.raw(sql, bindings as Knex.RawBinding[]).then((r) => r.rows), model, result as Extract<StepResult, { ok: true }>, ctx, {
          process_id: model.id,
          version: row.version,
          definition_key: row.key,
          business_key: req.businessKey ?? null,
        }, { traceContext: item.context });
        const { state, outbox } = written;
        // Written with the instance, so the key and the instance commit together or not at all (see EngineService.startInstance).
        const statement = req.startKey === undefined
          ? written.statement
          : { sql: `${written.statement.sql};\nINSERT INTO instance_start_keys (start_key, process_instance_id) VALUES (?, ?)`, bindings: [...written.statement.bindings, req.startKey, id] };
        const summary: InstanceSummary = {
          id,
          processId: model.id,
          version: row.version,
          state: state.status,
          businessKey: req.businessKey ?? null,
          createdAt: now.toISOString(),
          endedAt: state.status === 'ACTIVE' ? null : now.toISOString(),
        };
        prepared.push({ item, summary, statement, state, outbox, openings: written.openings, notifications: written.notifications, signals: written.signals, tally: written.tally });
      } catch (error) {
        item.reject(error);
      }
    }
    if (prepared.length === 0) return;
    const hold = this.heldBy(() => ({ kind: 'starts', commands: prepared.length, jobKeys: [], instanceIds: prepared.map((p) => p.summary.id) }));
    try {
      await runStatements(this.deps.db, prepared.map((p) => p.statement), hold);
    } catch (error) {
      if (prepared.length === 1) throw error;
      this.deps.logger.warn({ err: error, size: prepared.length }, 'start batch failed; writing its starts one by one');
      for (const p of prepared) {
        try {
          await runStatements(this.deps.db, [p.statement]);
          committedStates([p.state]);
          await this.committed(p.outbox, [p.openings], p.notifications, p.signals, [p.tally], [p.state.id]);
          p.item.resolve(p.summary);
        } catch (single) {
          p.item.reject(single);
        }
      }
      return;
    }
    committedStates(prepared.map((p) => p.state));
    await this.committed(prepared.flatMap((p) => p.outbox), prepared.map((p) => p.openings), prepared.flatMap((p) => p.notifications), prepared.flatMap((p) => p.signals), prepared.map((p) => p.tally), prepared.map((p) => p.state.id));
    for (const p of prepared) p.item.resolve(p.summary);
  }

  private async activateBatch(batch: BatchItem<{ jobKey: string; workerId: string; timeoutMs: number }, ActivatedJob | null>[]): Promise<void> {
    // A key asked for twice in one batch goes to the first asker only.
    const first = new Map<string, (typeof batch)[number]>();
    for (const item of batch) if (!first.has(item.input.jobKey)) first.set(item.input.jobKey, item);
    const wanted = [...first.values()].map((i) => ({ key: i.input.jobKey, worker_id: i.input.workerId, timeout_ms: i.input.timeoutMs }));
    // `prior` is the row as it was (the target's columns in RETURNING are the new ones): only a first hand-out
    // after the job became available is a dispatch; one after a missed deadline is not timed.
    const { rows } = await this.deps.db.raw(
      `UPDATE jobs j SET state = 'ACTIVATED', worker_id = x.worker_id, deadline = now() + x.timeout_ms * interval '1 millisecond', updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS x(key uuid, worker_id text, timeout_ms bigint), jobs prior
        WHERE j.key = x.key AND prior.key = x.key
          AND ((j.state = 'ACTIVATABLE' AND j.available_at <= now()) OR (j.state = 'ACTIVATED' AND j.deadline < now()))
        RETURNING j.*, CASE WHEN prior.state = 'ACTIVATABLE' THEN extract(epoch FROM clock_timestamp() - j.available_at)::float8 END AS waited_seconds`,
      [JSON.stringify(wanted)],
    );
    const metrics = this.deps.metrics;
    if (metrics) for (const r of rows) if (r.waited_seconds !== null) metrics.jobActivated(r.type, Math.max(0, r.waited_seconds));
    const activated = new Map<string, ActivatedJob>(rows.map((r: Record<string, unknown>) => [r.key as string, activatedJob(r)]));
    for (const item of batch) item.resolve(first.get(item.input.jobKey) === item ? (activated.get(item.input.jobKey) ?? null) : null);
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
  private async singleJobCommand({ jobKey, actor, command }: JobCommandInput): Promise<CompletionResult> {
    const lock = {
      sql: `SELECT pi.id, pi.state, pi.revision, pi.definition_key, j.state AS job_state
              FROM jobs j JOIN process_instances pi ON pi.id = j.process_instance_id
             WHERE j.key = ? FOR UPDATE OF pi`,
      bindings: [jobKey],
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
   * Many job commands in one transaction: lock every instance involved (in id
   * order, so concurrent batches cannot deadlock), step each command in
   * arrival order on its instance's evolving state, write all effects and
   * commit in one round trip. A refused command is answered on its own and
   * does not hold back the others; if the write itself fails, each command
   * is retried alone.
   */
  private async runJobBatch(batch: BatchItem<JobCommandInput, CompletionResult>[]): Promise<void> {
    if (batch.length === 1) {
      const [item] = batch;
      return withContext(item.context, () => this.singleJobCommand(item.input)).then(item.resolve, item.reject);
    }
    const now = new Date();
    const answers = new Map<BatchItem<JobCommandInput, CompletionResult>, CompletionResult | Error>();
    const outbox: OutboxRow[] = [];
    const notifications: string[] = [];
    const openings: MessageOpenings[] = [];
    const signals: string[] = [];
    const tallies: CommitTally[] = [];
    const keys = [...new Set(batch.map((b) => b.input.jobKey))];
    const writtenStates: InstanceState[] = [];
    // The states are read once per instance after the lock: selected with each job row, an instance whose
    // many runs complete together would come back once per job (200 copies of a large state).
    const lock = {
      sql: `SELECT pi.id, pi.definition_key, j.key AS job_key, j.state AS job_state
              FROM jobs j JOIN process_instances pi ON pi.id = j.process_instance_id
             WHERE j.key IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid)
             ORDER BY pi.id FOR UPDATE OF pi`,
      bindings: [JSON.stringify(keys)],
    };
    const hold = this.heldBy(() => {
      const jobKeys = [...answers].flatMap(([item, answer]) => (answer instanceof Error || answer.duplicate ? [] : [item.input.jobKey]));
      return { kind: 'jobs', commands: jobKeys.length, jobKeys, instanceIds: writtenStates.map((s) => s.id) };
    });
    try {
      await fastTransaction(this.deps.db, lock, async (rows, tx) => {
        const jobs = new Map(rows.map((r) => [r.job_key as string, r]));
        let instances = new Map<string, InstanceState>();
        const ids = [...new Set(rows.map((r) => r.id as string))];
        if (ids.length > 0) {
          const headers = await tx.query('SELECT id, state, revision FROM process_instances WHERE id IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid)', [JSON.stringify(ids)]);
          instances = await loadStates((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), headers as never);
        }
        const reached = new Map<string, string>(); // job state reached earlier in this batch
        const statements: { sql: string; bindings: readonly Knex.RawBinding[] }[] = [];
        // Each instance's row is written once, with its state after its last command here (many runs of one
        // multi-instance complete together: one write of a large state, not one per command).
        const touched = new Set<string>();
        for (const item of batch) {
          const { jobKey, actor, command } = item.input;
          const row = jobs.get(jobKey);
          if (!row) {
            answers.set(item, new WeftError('JOB_NOT_FOUND', `No job with key ${jobKey}`));
            continue;
          }
          const jobState = reached.get(jobKey) ?? row.job_state;
          if (jobState === 'COMPLETED' && command.type === 'COMPLETE_JOB') {
            answers.set(item, { duplicate: true });
            continue;
          }
          if (jobState !== 'ACTIVATABLE' && jobState !== 'ACTIVATED') {
            answers.set(item, new WeftError('JOB_NOT_ACTIVE', `Job ${jobKey} is ${jobState}`));
            continue;
          }
          const { model } = await this.definitions.byKey(row.definition_key, (sql, bindings) => tx.query(sql, bindings));
          // The batch owns the states it read: stepping in place spares a copy of the whole state per command.
          const stepped = step(model, instances.get(row.id)!, command, context(now, actor), { inPlace: true });
          if (!stepped.ok) {
            const [fresh] = await tx.query('SELECT state FROM jobs WHERE key = ?', [jobKey]);
            answers.set(item, fresh?.state === 'COMPLETED' && command.type === 'COMPLETE_JOB' ? { duplicate: true } : rejectionError(stepped.rejection));
            continue;
          }
          const written = await this.writeStep((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), model, stepped, context(now, actor), undefined, { omitInstance: true, traceContext: item.context });
          instances.set(row.id, written.state);
          touched.add(row.id);
          recordJobStates(reached, written.effects);
          statements.push(written.statement);
          outbox.push(...written.outbox);
          notifications.push(...written.notifications);
          openings.push(written.openings);
          signals.push(...written.signals);
          tallies.push(written.tally);
          answers.set(item, { duplicate: false });
        }
        if (statements.length === 0) return { result: undefined };
        for (const id of touched) writtenStates.push(instances.get(id)!);
        const finals = [...touched].map((id) => {
          const state = instances.get(id)!;
          return { state, effects: state.status === 'ACTIVE' ? [] : [{ type: 'INSTANCE_ENDED' as const, status: state.status }] };
        });
        statements.push(batchEffectsStatement(finals, { actor: 'engine', now }).statement);
        return {
          result: undefined,
          finalSql: { sql: statements.map((st) => st.sql).join(';\n'), bindings: statements.flatMap((st) => st.bindings) },
        };
      }, hold);
    } catch (error) {
      this.deps.logger.warn({ err: error, size: batch.length }, 'job command batch failed; running its commands one by one');
      await Promise.all(batch.map((item) => withContext(item.context, () => this.singleJobCommand(item.input)).then(item.resolve, item.reject)));
      return;
    }
    committedStates(writtenStates);
    await this.committed(outbox, openings, notifications, signals, tallies, writtenStates.map((s) => s.id));
    for (const item of batch) {
      const answer = answers.get(item)!;
      if (answer instanceof Error) item.reject(answer);
      else item.resolve(answer);
    }
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
    const outcome = await fastTransaction(this.deps.db, lock, async (rows, tx) => {
      const row = rows[0] as LockedInstance | undefined;
      if (!row) throw lock.notFound();
      const early = guard ? await guard(tx, row, false) : null;
      if (early) return { result: { result: early, outbox: [] as OutboxRow[], openings: NO_OPENINGS, notifications: [] as string[], signals: [] as string[], tallies: [] as CommitTally[] } };
      const { model } = await this.definitions.byKey(row.definition_key, (sql, bindings) => tx.query(sql, bindings));
      // The state belongs to this transaction (instance-store.ts): stepped in place, kept only if it commits.
      const state = await loadState((sql, bindings) => tx.query(sql, bindings as Knex.RawBinding[]), row as never);
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
  private heldBy(describe: () => Omit<GroupCommit, 'backendPid'>): BeforeCommit | undefined {
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

interface JobCommandInput {
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

/** The states jobs reach through a step's effects (for later commands on them in the same batch). */
function recordJobStates(reached: Map<string, string>, effects: Effect[]): void {
  for (const e of effects) {
    if (e.type === 'FINISH_JOB') reached.set(e.jobKey, e.state);
    if (e.type === 'RETRY_JOB') reached.set(e.jobKey, 'ACTIVATABLE');
  }
}

interface LockQuery {
  sql: string;
  bindings: string[];
  notFound: () => WeftError;
}

export function lockInstance(id: string): LockQuery {
  return {
    sql: 'SELECT id, state, revision, definition_key FROM process_instances WHERE id = ? FOR UPDATE',
    bindings: [id],
    notFound: () => new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${id}`),
  };
}

export function context(now: Date, actor: string) {
  return { now: now.toISOString(), newId: randomUUID, actor: { id: actor } };
}
export { context as stepContext };

export function activatedJob(row: Record<string, any>): ActivatedJob {
  return {
    key: row.key,
    type: row.type,
    processInstanceId: row.process_instance_id,
    processId: row.process_id,
    elementId: row.element_id,
    variables: row.variables,
    headers: row.headers,
    retries: row.retries,
    deadline: new Date(row.deadline).toISOString(),
  };
}

