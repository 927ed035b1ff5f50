/**
 * The engine's command side: every command on an instance runs in one
 * Postgres transaction with the instance row locked (SELECT … FOR UPDATE),
 * calls the pure step function, applies its effects and writes the outbox;
 * after commit the outbox rows are relayed to BullMQ.
 *
 * Completions are idempotent: completing a job or task that is already
 * completed answers `{duplicate: true}` and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { compile, classify, MALFORMED_PREFIX } from '../model/index.js';
import type { ModelProblem } from '../model/types.js';
import { startInstance, step } from '../runtime/step.js';
import type { Command, Effect, InstanceState, Rejection, StepResult, Variables } from '../runtime/types.js';
import { MicroBatcher, type BatchItem } from './micro-batcher.js';
import { WeftError, type ErrorCode, ErrorCodes } from '../errors.js';
import { effectsStatement, type OutboxRow } from '../persistence/effect-applier.js';
import { assertStorable } from '../persistence/storable.js';
import { fastTransaction, runStatements, type FastTransaction } from '../persistence/fast-transaction.js';
import { DefinitionRepository, type CompiledResource } from '../persistence/definition-repository.js';
import { Queries } from '../persistence/queries.js';
import type { OutboxRelay } from '../queue/outbox-relay.js';
import type { ResourceHandler } from '../features/types.js';
import type {
  ActivatedJob,
  CompletionResult,
  DeploymentResource,
  DeploymentResult,
  EngineApi,
  IncidentView,
  InstanceSummary,
  StartInstanceRequest,
  TaskView,
} from './types.js';

const MAX_RESOURCE_BYTES = 5 * 1024 * 1024;

export interface EngineServiceDeps {
  db: Knex;
  redis: Redis;
  relay: OutboxRelay;
  logger: Logger;
  /** Deployable resource kinds beyond BPMN (forms, agent definitions), from the features. */
  resources?: ResourceHandler[];
  /** Test hook: called after a commit and before its outbox rows are relayed (crash tests kill the process here). */
  afterCommit?: () => void;
}

export class EngineService implements EngineApi {
  readonly definitions: DefinitionRepository;
  readonly queries: Queries;

  private readonly starts = new MicroBatcher<{ req: StartInstanceRequest; actor: string }, InstanceSummary>((batch) => this.runStartBatch(batch));
  private readonly jobCommands = new MicroBatcher<JobCommandInput, CompletionResult>((batch) => this.runJobBatch(batch));
  private readonly activations = new MicroBatcher<{ jobKey: string; workerId: string; timeoutMs: number }, ActivatedJob | null>((batch) => this.activateBatch(batch));

  constructor(private readonly deps: EngineServiceDeps) {
    this.definitions = new DefinitionRepository(deps.db);
    this.queries = new Queries(deps.db);
  }

  // ------------------------------------------------------------ deploy

  async deploy(resources: DeploymentResource[], actor: string): Promise<DeploymentResult> {
    if (resources.length === 0) throw new WeftError('BAD_REQUEST', 'A deployment needs at least one .bpmn file');
    const compiled: CompiledResource[] = [];
    const others: { handler: ResourceHandler; resource: { name: string; content: string } }[] = [];
    const problems: ModelProblem[] = [];
    for (const resource of resources) {
      const size = typeof resource.content === 'string' ? Buffer.byteLength(resource.content) : resource.content.length;
      if (size > MAX_RESOURCE_BYTES) throw new WeftError('PAYLOAD_TOO_LARGE', `${resource.name} is larger than 5 MB`);
      if (!/\.(bpmn|xml)$/i.test(resource.name)) {
        const handler = this.deps.resources?.find((h) => h.accepts(resource.name));
        if (!handler) {
          problems.push({ file: resource.name, message: `Unsupported resource type: ${this.deployableKinds()} can be deployed` });
          continue;
        }
        const other = { name: resource.name, content: resource.content.toString() };
        problems.push(...(await handler.check(other)));
        others.push({ handler, resource: other });
        continue;
      }
      const xml = resource.content.toString();
      // XML cannot hold U+0000 (not even as &#0;), and Postgres cannot store it: refuse it before it reaches either.
      if (/\u0000|&#(0+|x0+);/i.test(xml)) {
        problems.push({ file: resource.name, message: `${MALFORMED_PREFIX} the NUL character (U+0000) is not allowed in XML` });
        continue;
      }
      const result = await compile(xml, resource.name);
      problems.push(...result.problems);
      compiled.push({ name: resource.name, xml, processes: result.processes });
    }
    const kind = classify(problems);
    if (kind === 'malformed') throw new WeftError('INVALID_XML', summarize('is not well-formed XML', problems), { problems });
    if (kind === 'not-bpmn') throw new WeftError('NOT_BPMN', summarize('is not a BPMN document', problems), { problems });
    if (kind === 'invalid' || problems.length > 0) throw new WeftError('INVALID_MODEL', summarize('cannot be deployed', problems), { problems });
    if (others.length === 0 && compiled.every((c) => c.processes.length === 0)) {
      throw new WeftError('INVALID_MODEL', 'The deployment holds no executable process');
    }
    return this.definitions.deploy(compiled, actor, async (trx, deploymentId) => {
      const listed: Record<string, unknown[]> = {};
      for (const { handler, resource } of others) {
        (listed[handler.responseKey] ??= []).push(await handler.store(trx, resource, deploymentId, actor));
      }
      return listed;
    }) as Promise<DeploymentResult>;
  }

  private deployableKinds(): string {
    const kinds = ['.bpmn', ...(this.deps.resources ?? []).map((h) => h.responseKey)];
    return kinds.join(', ');
  }

  async listDefinitions() {
    return (await this.definitions.list()).map((r) => ({
      key: r.key,
      processId: r.process_id,
      version: r.version,
      name: r.name,
      deploymentId: r.deployment_id,
      resourceName: r.resource_name,
      createdAt: r.created_at.toISOString(),
    }));
  }

  definitionXml(key: string): Promise<string> {
    return this.definitions.xml(key);
  }

  // ------------------------------------------------------------ instances

  /** Starts arriving together are written in one round trip (see runStartBatch). */
  startInstance(req: StartInstanceRequest, actor: string): Promise<InstanceSummary> {
    assertStorable(req.variables ?? {}, 'variables');
    return this.starts.submit({ req, actor });
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
    const prepared: { item: (typeof batch)[number]; summary: InstanceSummary; statement: { sql: string; bindings: readonly Knex.RawBinding[] }; outbox: OutboxRow[] }[] = [];
    for (const item of batch) {
      const { req, actor } = item.input;
      try {
        const which = `${req.processId}@${req.version ?? 'latest'}`;
        if (!definitions.has(which)) definitions.set(which, this.definitions.find(req.processId, req.version));
        const { row, model } = await definitions.get(which)!;
        const id = randomUUID();
        const result = startInstance(model, { id, definitionKey: row.key, version: row.version, businessKey: req.businessKey }, req.variables ?? {}, context(now, actor));
        const state = this.accepted(result);
        const { statement, outbox } = effectsStatement(state, result.ok ? result.effects : [], {
          actor,
          now,
          insert: { process_id: model.id, version: row.version, definition_key: row.key, business_key: req.businessKey ?? null },
        });
        const summary: InstanceSummary = {
          id,
          processId: model.id,
          version: row.version,
          state: state.status,
          businessKey: req.businessKey ?? null,
          createdAt: now.toISOString(),
          endedAt: state.status === 'ACTIVE' ? null : now.toISOString(),
        };
        prepared.push({ item, summary, statement, outbox });
      } catch (error) {
        item.reject(error);
      }
    }
    if (prepared.length === 0) return;
    try {
      await runStatements(this.deps.db, prepared.map((p) => p.statement));
    } catch (error) {
      if (prepared.length === 1) throw error;
      this.deps.logger.warn({ err: error, size: prepared.length }, 'start batch failed; writing its starts one by one');
      for (const p of prepared) {
        try {
          await runStatements(this.deps.db, [p.statement]);
          await this.afterCommit(p.outbox);
          p.item.resolve(p.summary);
        } catch (single) {
          p.item.reject(single);
        }
      }
      return;
    }
    await this.afterCommit(prepared.flatMap((p) => p.outbox));
    for (const p of prepared) p.item.resolve(p.summary);
  }

  listInstances(filter: Parameters<Queries['listInstances']>[0]) {
    return this.queries.listInstances(filter);
  }

  getInstance(id: string) {
    return this.queries.getInstance(id);
  }

  async cancelInstance(id: string, actor: string): Promise<InstanceSummary> {
    await this.command(lockInstance(id), { type: 'CANCEL' }, actor);
    return this.queries.instanceSummary(id);
  }

  audit(instanceId: string) {
    return this.queries.audit(instanceId);
  }

  // ------------------------------------------------------------ jobs

  async activateJobs(req: { type: string; maxJobs: number; workerId: string; timeoutMs: number }): Promise<ActivatedJob[]> {
    const { db } = this.deps;
    const rows = await db('jobs')
      .whereIn('key', (q) =>
        q
          .select('key')
          .from('jobs')
          .where({ type: req.type })
          .andWhere((w) =>
            w.where((a) => a.where({ state: 'ACTIVATABLE' }).andWhere('available_at', '<=', db.fn.now())).orWhere((b) => b.where({ state: 'ACTIVATED' }).andWhere('deadline', '<', db.fn.now())),
          )
          .orderBy('available_at')
          .limit(req.maxJobs)
          .forUpdate()
          .skipLocked(),
      )
      .update({ state: 'ACTIVATED', worker_id: req.workerId, deadline: db.raw(`now() + (? || ' milliseconds')::interval`, [String(req.timeoutMs)]), updated_at: db.fn.now() })
      .returning('*');
    return rows.map(activatedJob);
  }

  /** Activations arriving together (many workers at once) are made in one UPDATE. */
  activateJob(jobKey: string, workerId: string, timeoutMs: number): Promise<ActivatedJob | null> {
    return this.activations.submit({ jobKey, workerId, timeoutMs });
  }

  private async activateBatch(batch: BatchItem<{ jobKey: string; workerId: string; timeoutMs: number }, ActivatedJob | null>[]): Promise<void> {
    // A key asked for twice in one batch goes to the first asker only.
    const first = new Map<string, (typeof batch)[number]>();
    for (const item of batch) if (!first.has(item.input.jobKey)) first.set(item.input.jobKey, item);
    const wanted = [...first.values()].map((i) => ({ key: i.input.jobKey, worker_id: i.input.workerId, timeout_ms: i.input.timeoutMs }));
    const { rows } = await this.deps.db.raw(
      `UPDATE jobs j SET state = 'ACTIVATED', worker_id = x.worker_id, deadline = now() + x.timeout_ms * interval '1 millisecond', updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS x(key uuid, worker_id text, timeout_ms bigint)
        WHERE j.key = x.key
          AND ((j.state = 'ACTIVATABLE' AND j.available_at <= now()) OR (j.state = 'ACTIVATED' AND j.deadline < now()))
        RETURNING j.*`,
      [JSON.stringify(wanted)],
    );
    const activated = new Map<string, ActivatedJob>(rows.map((r: Record<string, unknown>) => [r.key as string, activatedJob(r)]));
    for (const item of batch) item.resolve(first.get(item.input.jobKey) === item ? (activated.get(item.input.jobKey) ?? null) : null);
  }

  completeJob(jobKey: string, variables: Variables, actor: string): Promise<CompletionResult> {
    assertStorable(variables, 'variables');
    return this.jobCommand(jobKey, actor, { type: 'COMPLETE_JOB', jobKey, variables });
  }

  failJob(jobKey: string, req: { retries: number; errorMessage: string; retryBackoffMs?: number }, actor: string): Promise<CompletionResult> {
    assertStorable(req.errorMessage, 'errorMessage');
    return this.jobCommand(jobKey, actor, { type: 'FAIL_JOB', jobKey, ...req });
  }

  throwJobError(jobKey: string, req: { errorCode: string; errorMessage?: string; variables?: Variables }, actor: string): Promise<CompletionResult> {
    assertStorable(req, 'error');
    return this.jobCommand(jobKey, actor, { type: 'THROW_ERROR', jobKey, errorCode: req.errorCode, errorMessage: req.errorMessage, variables: req.variables ?? {} });
  }

  /**
   * A job command is a no-op when the job already ended the same way (a worker
   * that runs twice completes twice). Job commands arriving together are
   * carried by one transaction (see runJobBatch); alone, by the single path.
   */
  private jobCommand(jobKey: string, actor: string, command: Command): Promise<CompletionResult> {
    return this.jobCommands.submit({ jobKey, actor, command });
  }

  /** One job command: the job row and its instance found and the instance locked in one query. */
  private async singleJobCommand({ jobKey, actor, command }: JobCommandInput): Promise<CompletionResult> {
    const lock = {
      sql: `SELECT pi.id, pi.state, pi.definition_key, j.state AS job_state
              FROM jobs j JOIN process_instances pi ON pi.id = j.process_instance_id
             WHERE j.key = ? FOR UPDATE OF pi`,
      bindings: [jobKey],
      notFound: () => new WeftError('JOB_NOT_FOUND', `No job with key ${jobKey}`),
    };
    return this.command(lock, command, actor, async (tx, row, rejected) => {
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
      return this.singleJobCommand(item.input).then(item.resolve, item.reject);
    }
    const now = new Date();
    const answers = new Map<BatchItem<JobCommandInput, CompletionResult>, CompletionResult | Error>();
    const outbox: OutboxRow[] = [];
    const keys = [...new Set(batch.map((b) => b.input.jobKey))];
    const lock = {
      sql: `SELECT pi.id, pi.state, pi.definition_key, j.key AS job_key, j.state AS job_state
              FROM jobs j JOIN process_instances pi ON pi.id = j.process_instance_id
             WHERE j.key IN (SELECT jsonb_array_elements_text(?::jsonb)::uuid)
             ORDER BY pi.id FOR UPDATE OF pi`,
      bindings: [JSON.stringify(keys)],
    };
    try {
      await fastTransaction(this.deps.db, lock, async (rows, tx) => {
        const jobs = new Map(rows.map((r) => [r.job_key as string, r]));
        const instances = new Map<string, InstanceState>();
        for (const r of rows) if (!instances.has(r.id)) instances.set(r.id, r.state);
        const reached = new Map<string, string>(); // job state reached earlier in this batch
        const statements: { sql: string; bindings: readonly Knex.RawBinding[] }[] = [];
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
          const { model } = await this.definitions.byKey(row.definition_key);
          const stepped = step(model, instances.get(row.id)!, command, context(now, actor));
          if (!stepped.ok) {
            const [fresh] = await tx.query('SELECT state FROM jobs WHERE key = ?', [jobKey]);
            answers.set(item, fresh?.state === 'COMPLETED' && command.type === 'COMPLETE_JOB' ? { duplicate: true } : rejectionError(stepped.rejection));
            continue;
          }
          instances.set(row.id, stepped.state);
          reached.set(jobKey, jobStateAfter(jobKey, stepped.effects));
          const written = effectsStatement(stepped.state, stepped.effects, { actor, now });
          statements.push(written.statement);
          outbox.push(...written.outbox);
          answers.set(item, { duplicate: false });
        }
        if (statements.length === 0) return { result: undefined };
        return {
          result: undefined,
          finalSql: { sql: statements.map((st) => st.sql).join(';\n'), bindings: statements.flatMap((st) => st.bindings) },
        };
      });
    } catch (error) {
      this.deps.logger.warn({ err: error, size: batch.length }, 'job command batch failed; running its commands one by one');
      await Promise.all(batch.map((item) => this.singleJobCommand(item.input).then(item.resolve, item.reject)));
      return;
    }
    await this.afterCommit(outbox);
    for (const item of batch) {
      const answer = answers.get(item)!;
      if (answer instanceof Error) item.reject(answer);
      else item.resolve(answer);
    }
  }

  // ------------------------------------------------------------ tasks

  listTasks(filter: Parameters<Queries['listTasks']>[0]) {
    return this.queries.listTasks(filter);
  }

  getTask(id: string): Promise<TaskView> {
    return this.queries.getTask(id);
  }

  async claimTask(id: string, assignee: string, actor: string): Promise<TaskView> {
    await this.deps.db.transaction(async (trx) => {
      const task = await trx('tasks').where({ id }).forUpdate().first('state', 'assignee', 'process_instance_id', 'element_id', 'element_instance_key');
      if (!task) throw new WeftError('TASK_NOT_FOUND', `No task with id ${id}`);
      if (task.state !== 'CREATED') throw new WeftError('TASK_NOT_ACTIVE', `Task ${id} is ${task.state}`);
      if (task.assignee && task.assignee !== assignee) throw new WeftError('TASK_ALREADY_CLAIMED', `Task ${id} is already claimed by ${task.assignee}`);
      await trx('tasks').where({ id }).update({ assignee });
      await trx('audit').insert({
        process_instance_id: task.process_instance_id,
        actor,
        type: 'TASK_CLAIMED',
        element_id: task.element_id,
        element_instance_key: task.element_instance_key,
        payload: JSON.stringify({ taskId: id, assignee }),
      });
    });
    return this.getTask(id);
  }

  async completeTask(id: string, variables: Variables, actor: string): Promise<CompletionResult> {
    assertStorable(variables, 'variables');
    const task = await this.deps.db('tasks').where({ id }).first('process_instance_id', 'state');
    if (!task) throw new WeftError('TASK_NOT_FOUND', `No task with id ${id}`);
    return this.command(lockInstance(task.process_instance_id), { type: 'COMPLETE_TASK', taskId: id, variables }, actor, async (tx) => {
      const [current] = await tx.query('SELECT state FROM tasks WHERE id = ?', [id]);
      if (current.state === 'COMPLETED') return { duplicate: true };
      if (current.state !== 'CREATED') throw new WeftError('TASK_NOT_ACTIVE', `Task ${id} is ${current.state}`);
      return null;
    });
  }

  // ------------------------------------------------------------ incidents

  listIncidents(filter: { processInstanceId?: string; state?: 'OPEN' | 'RESOLVED' }): Promise<IncidentView[]> {
    return this.queries.listIncidents(filter);
  }

  async resolveIncident(id: string, actor: string): Promise<IncidentView> {
    const incident = await this.deps.db('incidents').where({ id }).first('process_instance_id', 'state');
    if (!incident) throw new WeftError('INCIDENT_NOT_FOUND', `No incident with id ${id}`);
    if (incident.state !== 'OPEN') throw new WeftError('INCIDENT_NOT_OPEN', `Incident ${id} is already ${incident.state}`);
    await this.command(lockInstance(incident.process_instance_id), { type: 'RESOLVE_INCIDENT', incidentId: id }, actor);
    return this.queries.incident(id);
  }

  async health(): Promise<{ postgres: boolean; redis: boolean }> {
    const [postgres, redis] = await Promise.all([
      this.deps.db.raw('select 1').then(() => true, () => false),
      withTimeout(this.deps.redis.ping(), 1000).then(() => true, () => false),
    ]);
    return { postgres, redis };
  }

  // ------------------------------------------------------------ the command path

  /**
   * Locks the instance (`lock`), runs `guard` (which may answer without a
   * step), steps, writes the effects, commits, relays. When the step refuses
   * the command, `guard` is asked again with `rejected` set, so a refusal
   * that is really a duplicate completion answers as one.
   */
  private async command(
    lock: LockQuery,
    command: Command,
    actor: string,
    guard?: (tx: FastTransaction, row: LockedInstance, rejected: boolean) => Promise<CompletionResult | null>,
  ): Promise<CompletionResult> {
    const now = new Date();
    const outcome = await fastTransaction(this.deps.db, lock, async (rows, tx) => {
      const row = rows[0] as LockedInstance | undefined;
      if (!row) throw lock.notFound();
      const early = guard ? await guard(tx, row, false) : null;
      if (early) return { result: { result: early, outbox: [] as OutboxRow[] } };
      const { model } = await this.definitions.byKey(row.definition_key);
      const stepped = step(model, row.state, command, context(now, actor));
      if (!stepped.ok && guard) {
        const answer = await guard(tx, row, true);
        if (answer) return { result: { result: answer, outbox: [] as OutboxRow[] } };
      }
      const state = this.accepted(stepped);
      const { statement, outbox } = effectsStatement(state, stepped.ok ? stepped.effects : [], { actor, now });
      return { result: { result: { duplicate: false }, outbox }, finalSql: statement };
    });
    await this.afterCommit(outcome.outbox);
    return outcome.result;
  }

  private accepted(result: StepResult): InstanceState {
    if (result.ok) return result.state;
    throw rejectionError(result.rejection);
  }

  private async afterCommit(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.deps.afterCommit?.();
    try {
      await this.deps.relay.relay(rows.map((r) => ({ id: r.id, queue: r.queue, payload: r.payload, availableAt: new Date(r.available_at) })));
    } catch (error) {
      // Committed work is safe in the outbox; the sweep relays it when Redis is back.
      this.deps.logger.warn({ err: error }, 'outbox relay failed; the sweep will retry');
    }
  }
}

interface LockedInstance {
  id: string;
  state: InstanceState;
  definition_key: string;
  job_state?: string;
}

interface JobCommandInput {
  jobKey: string;
  actor: string;
  command: Command;
}

function rejectionError(rejection: Rejection): WeftError {
  const code = (rejection.code in ErrorCodes ? rejection.code : 'BAD_REQUEST') as ErrorCode;
  return new WeftError(code, rejection.message);
}

/** The state a job is in after a step's effects (for later commands on it in the same batch). */
function jobStateAfter(jobKey: string, effects: Effect[]): string {
  let state = 'ACTIVATED';
  for (const e of effects) {
    if (e.type === 'FINISH_JOB' && e.jobKey === jobKey) state = e.state;
    if (e.type === 'RETRY_JOB' && e.jobKey === jobKey) state = 'ACTIVATABLE';
  }
  return state;
}

interface LockQuery {
  sql: string;
  bindings: string[];
  notFound: () => WeftError;
}

function lockInstance(id: string): LockQuery {
  return {
    sql: 'SELECT id, state, definition_key FROM process_instances WHERE id = ? FOR UPDATE',
    bindings: [id],
    notFound: () => new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${id}`),
  };
}

function context(now: Date, actor: string) {
  return { now: now.toISOString(), newId: randomUUID, actor: { id: actor } };
}

function activatedJob(row: Record<string, any>): ActivatedJob {
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

function summarize(what: string, problems: ModelProblem[]): string {
  const files = [...new Set(problems.map((p) => p.file))].join(', ');
  const first = problems[0];
  const where = first?.elementId ? ` (${first.elementId}: ${first.message})` : first ? ` (${first.message})` : '';
  const more = problems.length > 1 ? ` and ${problems.length - 1} more problem(s)` : '';
  return `${files} ${what}${where}${more}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
