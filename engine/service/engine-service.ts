/**
 * The engine's API to its edges (EngineApi): deploy (deployer.ts), start, jobs, tasks,
 * incidents, reads. Commands go through the write path (command-path.ts):
 * one transaction with the instance locked, the pure step, effects written,
 * outbox relayed after commit.
 *
 * Completions are idempotent: completing a job or task that is already
 * completed answers `{duplicate: true}` and changes nothing.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { RedisClient } from '../queue/redis.js';
import { evaluateDecision } from '../dmn/index.js';
import { DecisionRepository } from '../persistence/decision-repository.js';
import type { ElementInstance, JobRecord, JobResult, ToolJobOutcome, Variables } from '../runtime/types.js';
import { toolJobKeyOf } from './tool-job-key.js';
import type { EngineMetrics } from '../observability/metrics/commit-tally.js';
import { CommandPath, lockInstance } from './command-path.js';
import { InstanceOperations } from './operations/instance-operations.js';
import { updateVariables, type VariableEdit } from './variable-edit.js';
import { definitionStatistics } from '../persistence/definition-statistics.js';
import { WeftError } from '../errors.js';
import { assertStorable } from '../persistence/storable.js';
import { scrubJson, scrubText } from '../security/redaction.js';
import { DefinitionRepository, type DefinitionFilter, type DeployHook } from '../persistence/definition-repository.js';
import { Deployer } from './deployer.js';
import { activateJobs, wakeJob, type ActivationRequest } from './job-activation.js';
import { Queries } from '../persistence/queries.js';
import { verifyChain } from '../audit/audit-chain.js';
import { readChain } from '../audit/audit-chain-repository.js';
import type { OutboxRelay } from '../queue/outbox-relay.js';
import type { ResourceHandler } from '../features/types.js';
import { withTimeout } from '../with-timeout.js';
import { TimerSweep } from '../timers/timer-sweep.js';
import { NotificationDelivery } from '../calls/notification-delivery.js';
import { Messages } from '../messages/message-service.js';
import { registerMessageStartEvents } from '../messages/message-start-events.js';
import type { PublishMessageRequest, PublishMessageResult } from '../messages/message-types.js';
import { SignalDelivery } from '../signals/signal-delivery.js';
import type { BroadcastSignalRequest, BroadcastSignalResult } from '../signals/signal-types.js';
import type {
  ActivatedJob,
  CompletionResult,
  DecisionEvaluationResult,
  DeploymentResource,
  DeploymentResult,
  DeployWarningCheck,
  EngineApi,
  IncidentView,
  InstanceDetail,
  InstanceSummary,
  MigrationAnswer,
  MigrationRequest,
  ModificationRequest,
  StartInstanceRequest,
  TaskView,
} from './types.js';

export interface EngineServiceDeps {
  db: Knex;
  /** Pinged by health(); a connection that fails fast while Redis is down (openCommandRedis). */
  redis: RedisClient;
  relay: OutboxRelay;
  logger: Logger;
  /** Deployable resource kinds beyond BPMN (forms, agent definitions), from the features. */
  resources?: ResourceHandler[];
  /** Test hook: called after a commit and before its outbox rows are relayed (crash tests kill the process here). */
  afterCommit?: () => void;
  /**
   * Test hook: awaited inside each group commit (a batch of starts, or of two
   * job commands or more), after its statements ran and before COMMIT, so a
   * crash test can kill the process while the transaction holds several
   * instances' rows. Set, each batch takes a few round trips more (its
   * statements are sent apart from COMMIT); unset, the batches are as ever.
   */
  inGroupCommit?: (batch: GroupCommit) => Promise<void>;
  /** Told what each commit counts (engine/observability/metrics); absent: nothing is counted. */
  metrics?: EngineMetrics;
  /** Run in a deployment's transaction for each new definition version (timer and message start events). */
  deployHooks?: DeployHook[];
  /** Asked after a deployment committed: what it holds that will not work as it stands (features' deployWarnings). */
  deployWarnings?: DeployWarningCheck[];
}

/** What a group commit held by the test hook `inGroupCommit` carries. */
export interface GroupCommit {
  kind: 'starts' | 'jobs';
  /** The commands whose writes the transaction holds (refused ones are not counted). */
  commands: number;
  /** The jobs those commands act on (a job batch). */
  jobKeys: string[];
  /** The instances the transaction writes (a start batch: the ones it creates). */
  instanceIds: string[];
  /** The Postgres backend holding the transaction (pg_stat_activity.pid). */
  backendPid: number;
}

export class EngineService implements EngineApi {
  readonly definitions: DefinitionRepository;
  readonly decisions: DecisionRepository;
  readonly queries: Queries;
  /** Fires due timers; every engine process runs it (queue/background.ts). */
  readonly timers: TimerSweep;
  /** Call activities' notes between instances (a child's end, a cancel). */
  readonly notifications: NotificationDelivery;
  readonly messages: Messages;
  /** Signal broadcasts, delivered to every waiting instance and signal start event (engine/signals). */
  readonly signals: SignalDelivery;

  private readonly path: CommandPath;
  private readonly operations: InstanceOperations;
  private readonly deployer: Deployer;

  constructor(private readonly deps: EngineServiceDeps) {
    this.definitions = new DefinitionRepository(deps.db, [registerMessageStartEvents, ...(deps.deployHooks ?? [])]);
    this.decisions = new DecisionRepository(deps.db);
    this.definitions.decisions = this.decisions;
    this.queries = new Queries(deps.db);
    this.path = new CommandPath(deps, this.definitions);
    this.timers = new TimerSweep(deps.db, this.definitions, this.path, deps.logger);
    this.notifications = new NotificationDelivery(deps.db, this.definitions, this.path, deps.logger);
    this.path.onNotifications = (keys) => this.notifications.deliverSoon(keys);
    this.messages = new Messages({ db: deps.db, definitions: this.definitions, path: this.path, logger: deps.logger });
    this.path.onOpenings = (openings) => this.messages.deliverBuffered(openings);
    this.signals = new SignalDelivery(deps.db, this.definitions, this.path, deps.logger);
    this.path.onSignals = (keys) => this.signals.deliverSoon(keys);
    this.operations = new InstanceOperations(deps.db, this.path, this.definitions, this.queries);
    this.deployer = new Deployer({ definitions: this.definitions, decisions: this.decisions, logger: deps.logger, resources: deps.resources, deployWarnings: deps.deployWarnings });
  }

  // ------------------------------------------------------------ deploy

  deploy(resources: DeploymentResource[], actor: string): Promise<DeploymentResult> {
    return this.deployer.deploy(resources, actor);
  }

  async listDefinitions(only?: DefinitionFilter) {
    return (await this.definitions.list(only)).map((r) => ({
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

  // ------------------------------------------------------------ decisions

  listDecisions() {
    return this.decisions.list();
  }

  decisionXml(decisionId: string, version?: number) {
    return this.decisions.xml(decisionId, version);
  }

  /** A direct evaluation, recorded in the audit (with no instance) like every decision the engine makes. */
  async evaluateDecision(decisionId: string, req: { variables: Variables; version?: number }, actor: string): Promise<DecisionEvaluationResult> {
    assertStorable(req.variables, 'variables');
    const deployed = await this.decisions.find(decisionId, req.version);
    const evaluation = evaluateDecision(deployed.drg, decisionId, req.variables, new Date().toISOString());
    const outcome = evaluation.ok ? { result: evaluation.result } : { failure: evaluation.failure };
    await this.deps.db('audit').insert({
      actor,
      type: 'DECISION_EVALUATED',
      payload: scrubJson(JSON.stringify({ decisionId, decisionKey: deployed.key, version: deployed.version, ...outcome, evaluatedDecisions: evaluation.evaluatedDecisions })),
    });
    if (!evaluation.ok) {
      throw new WeftError('DECISION_EVALUATION_FAILED', evaluation.failure.message, { decisionId, version: deployed.version, failure: evaluation.failure, evaluatedDecisions: evaluation.evaluatedDecisions });
    }
    return { decisionId, decisionKey: deployed.key, version: deployed.version, result: evaluation.result, matchedRules: evaluation.matchedRules, evaluatedDecisions: evaluation.evaluatedDecisions };
  }

  // ------------------------------------------------------------ instances

  /** Starts arriving together are written in one round trip (see CommandPath.start). */
  async startInstance(req: StartInstanceRequest, actor: string): Promise<InstanceSummary> {
    assertStorable(req.variables ?? {}, 'variables');
    if (req.startKey === undefined) return this.path.start(req, actor);
    // A replay usually comes well after the first start: found here, it costs no failed write.
    const earlier = await this.startedBy(req.startKey);
    if (earlier) return earlier;
    try {
      return await this.path.start(req, actor);
    } catch (error) {
      // Two starts with one key at once: the unique key lets one commit; the other answers its instance.
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'instance_start_keys_pkey') {
        const first = await this.startedBy(req.startKey);
        if (first) return first;
      }
      throw error;
    }
  }

  private async startedBy(startKey: string): Promise<InstanceSummary | null> {
    const row = await this.deps.db('instance_start_keys').where({ start_key: startKey }).first('process_instance_id');
    return row ? { ...(await this.queries.instanceSummary(row.process_instance_id)), duplicate: true } : null;
  }

  listInstances(filter: Parameters<Queries['listInstances']>[0]) {
    return this.queries.listInstances(filter);
  }

  getInstance(id: string) {
    return this.queries.getInstance(id);
  }

  async updateVariables(id: string, edit: VariableEdit, actor: string) {
    const scope = await updateVariables(this.deps.db, id, edit, actor);
    this.noteChanged([id]);
    return scope;
  }

  /**
   * Tells the change feed that something of these instances changed outside
   * a command (an agent run's journal, an edit): the pages that show them
   * refetch. A Set add (ChangeFeed.changed): no I/O, nothing to wait for.
   */
  noteChanged(ids: string[]): void {
    this.path.onChanged?.(ids);
  }

  /** Tells `observer` the instances each commit changed, right after it; it must not throw or wait (CommandPath.onChanged). */
  observeChanges(observer: (instanceIds: string[]) => void): void {
    this.path.onChanged = observer;
  }

  definitionStatistics() {
    return definitionStatistics(this.deps.db);
  }

  /** Cancels an instance and, through its call activities, its children; a child alone is canceled through its root, as in Camunda 8. */
  async cancelInstance(id: string, actor: string): Promise<InstanceSummary> {
    await this.path.command(lockInstance(id), { type: 'CANCEL' }, actor, async (_tx, row) => {
      const parent = row.state.parent;
      if (parent && row.state.status === 'ACTIVE') {
        throw new WeftError('CHILD_INSTANCE', `Instance ${id} was started by call activity '${parent.elementId}' of instance ${parent.instanceId}; cancel that instance instead`);
      }
      return null;
    });
    return this.queries.instanceSummary(id);
  }

  modifyInstance(id: string, req: ModificationRequest, actor: string): Promise<InstanceDetail> {
    return this.operations.modify(id, req, actor);
  }

  migrateInstance(id: string, req: MigrationRequest, actor: string): Promise<MigrationAnswer> {
    return this.operations.migrate(id, req, actor);
  }

  audit(instanceId: string) {
    return this.queries.audit(instanceId);
  }

  async verifyAudit(instanceId: string | null) {
    if (instanceId !== null) await this.queries.instanceSummary(instanceId); // 404 for an instance that does not exist
    const { rows, headSeq } = await readChain(this.deps.db, instanceId);
    return verifyChain(rows, headSeq);
  }

  // ------------------------------------------------------------ messages

  publishMessage(req: PublishMessageRequest, actor: string): Promise<PublishMessageResult> {
    return this.messages.publish(req, actor);
  }

  /**
   * Continues an element that waits for nothing but this (a receive task
   * without a message), named by its element id; `elementInstanceKey` picks
   * one when several instances of it wait (a multi-instance or parallel paths).
   */
  async triggerElement(instanceId: string, req: { elementId: string; elementInstanceKey?: string; variables?: Variables }, actor: string): Promise<InstanceSummary> {
    assertStorable(req.variables ?? {}, 'variables');
    const row = await this.deps.db('process_instances').where({ id: instanceId }).first('id');
    if (!row) throw new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${instanceId}`);
    const entries: { value: ElementInstance }[] = await this.deps
      .db('instance_entries')
      .where({ instance_id: instanceId, kind: 'element' })
      .whereRaw("value->>'elementId' = ? AND value->>'state' = 'ACTIVE'", [req.elementId])
      .orderByRaw('length(key), key')
      .select('value');
    const waiting = entries.map((e) => e.value);
    const chosen = req.elementInstanceKey === undefined ? waiting : waiting.filter((e) => e.key === req.elementInstanceKey);
    if (chosen.length === 0) throw new WeftError('ELEMENT_NOT_TRIGGERABLE', `No element '${req.elementId}'${req.elementInstanceKey ? ` with key ${req.elementInstanceKey}` : ''} is waiting in instance ${instanceId}`);
    if (chosen.length > 1) {
      throw new WeftError('ELEMENT_NOT_TRIGGERABLE', `${chosen.length} instances of '${req.elementId}' are waiting in instance ${instanceId}; name one by elementInstanceKey (${chosen.map((e) => e.key).join(', ')})`);
    }
    // The step checks again under the instance lock: it may have moved on since this read.
    await this.path.command(lockInstance(instanceId), { type: 'TRIGGER', elementInstanceKey: chosen[0].key, variables: req.variables ?? {} }, actor);
    return this.queries.instanceSummary(instanceId);
  }

  // ------------------------------------------------------------ signals

  /** Delivered before it answers: to every instance waiting for it, and a new instance at every signal start event of its name. */
  broadcastSignal(req: BroadcastSignalRequest, actor: string): Promise<BroadcastSignalResult> {
    return this.signals.broadcast(req, actor);
  }

  // ------------------------------------------------------------ jobs

  activateJobs(req: ActivationRequest): Promise<ActivatedJob[]> {
    return activateJobs(this.deps, req);
  }

  /** Activations arriving together (many workers at once) are made in one UPDATE. */
  activateJob(jobKey: string, workerId: string, timeoutMs: number): Promise<ActivatedJob | null> {
    return this.path.activateJob(jobKey, workerId, timeoutMs);
  }

  /** Hands a job waiting out a retry backoff to its workers now (job-activation.ts); false when it is not waiting. */
  wakeJob(jobKey: string): Promise<boolean> {
    return wakeJob(this.deps, jobKey);
  }

  async jobType(jobKey: string): Promise<string | null> {
    const row = await this.deps.db('jobs').where({ key: jobKey }).first('type');
    return row?.type ?? null;
  }

  completeJob(jobKey: string, variables: Variables, actor: string, result?: JobResult): Promise<CompletionResult> {
    assertStorable(variables, 'variables');
    if (result) assertStorable(result, 'result');
    return this.path.jobCommand(jobKey, actor, { type: 'COMPLETE_JOB', jobKey, variables, ...(result ? { result } : {}) });
  }

  /**
   * A worker's error message is scrubbed of secrets before the step sees it:
   * it lands in the job row, the incident, the instance state and the audit,
   * and a worker may well echo a key (a provider's 401, a connection string).
   */
  failJob(jobKey: string, req: { retries: number; errorMessage: string; retryBackoffMs?: number }, actor: string): Promise<CompletionResult> {
    assertStorable(req.errorMessage, 'errorMessage');
    return this.path.jobCommand(jobKey, actor, { type: 'FAIL_JOB', jobKey, ...req, errorMessage: scrubText(req.errorMessage) });
  }

  throwJobError(jobKey: string, req: { errorCode: string; errorMessage?: string; variables?: Variables }, actor: string): Promise<CompletionResult> {
    assertStorable(req, 'error');
    return this.path.jobCommand(jobKey, actor, { type: 'THROW_ERROR', jobKey, errorCode: req.errorCode, errorMessage: req.errorMessage === undefined ? undefined : scrubText(req.errorMessage), variables: req.variables ?? {} });
  }

  async updateJobRetries(jobKey: string, retries: number, actor: string): Promise<void> {
    // The retries are checked by the step (UPDATE_JOB_RETRIES), after the job is found: not found comes first, as in Zeebe.
    const job = await this.deps.db('jobs').where({ key: jobKey }).first('process_instance_id');
    if (!job) throw new WeftError('JOB_NOT_FOUND', `No job with key ${jobKey}`);
    await this.path.command(lockInstance(job.process_instance_id), { type: 'UPDATE_JOB_RETRIES', jobKey, retries }, actor, async (tx) => {
      // Read under the instance lock: a completion that committed while we waited for it has ended the job. The step
      // would refuse that too, but once the job's completion has ended its instance the step refuses any command on
      // it (INSTANCE_NOT_ACTIVE, 409), where Zeebe answers NOT_FOUND for a job that is gone.
      const [current] = await tx.query('SELECT state FROM jobs WHERE key = ?', [jobKey]);
      if (current.state === 'COMPLETED' || current.state === 'CANCELED') throw new WeftError('JOB_NOT_FOUND', `Job ${jobKey} is ${current.state}`);
      return null;
    });
  }

  /**
   * An agent's tool call as a job of the tool's type on the agent task's
   * element (runtime/tool-jobs.ts). The key is derived from the agent's job
   * key and the tool call id, so a retried attempt that asks again gets the
   * same job, created once.
   */
  async createToolJob(parentJobKey: string, req: { toolCallId: string; type: string; retries?: number; variables: Variables; headers?: Record<string, string> }, actor: string): Promise<{ jobKey: string }> {
    assertStorable(req.variables, 'variables');
    const toolJobKey = toolJobKeyOf(parentJobKey, req.toolCallId);
    const command = { type: 'CREATE_TOOL_JOB' as const, parentJobKey, toolJobKey, toolCallId: req.toolCallId, jobType: req.type, retries: req.retries ?? 3, variables: req.variables, headers: req.headers ?? {} };
    await this.path.jobCommand(parentJobKey, actor, command);
    return { jobKey: toolJobKey };
  }

  /** How a tool job ended (PENDING while it is open); null when the instance holds no such job (never created, or its agent's job has ended). */
  async toolJobOutcome(processInstanceId: string, toolJobKey: string): Promise<ToolJobOutcome | { state: 'PENDING' } | null> {
    const row = await this.deps.db('instance_entries').where({ instance_id: processInstanceId, kind: 'job', key: toolJobKey }).first('value');
    const job = row?.value as JobRecord | undefined;
    if (!job?.toolCall) return null;
    return job.outcome ?? { state: 'PENDING' };
  }

  // ------------------------------------------------------------ tasks

  listTasks(filter: Parameters<Queries['listTasks']>[0]) {
    return this.queries.listTasks(filter);
  }

  getTask(id: string): Promise<TaskView> {
    return this.queries.getTask(id);
  }

  async claimTask(id: string, assignee: string, actor: string, options: { override?: boolean } = {}): Promise<TaskView> {
    await this.deps.db.transaction(async (trx) => {
      const task = await trx('tasks').where({ id }).forUpdate().first('state', 'assignee', 'process_instance_id', 'element_id', 'element_instance_key');
      if (!task) throw new WeftError('TASK_NOT_FOUND', `No task with id ${id}`);
      if (task.state !== 'CREATED') throw new WeftError('TASK_NOT_ACTIVE', `Task ${id} is ${task.state}`);
      if (task.assignee && task.assignee !== assignee && !options.override) throw new WeftError('TASK_ALREADY_CLAIMED', `Task ${id} is already claimed by ${task.assignee}`);
      await trx('tasks').where({ id }).update({ assignee });
      await trx('audit').insert({
        process_instance_id: task.process_instance_id,
        actor,
        type: 'TASK_CLAIMED',
        element_id: task.element_id,
        element_instance_key: task.element_instance_key,
        payload: JSON.stringify({ taskId: id, assignee, ...(task.assignee && task.assignee !== assignee ? { previousAssignee: task.assignee } : {}) }),
      });
    });
    return this.getTask(id);
  }

  async completeTask(id: string, variables: Variables, actor: string, expect?: { assignee: string }): Promise<CompletionResult> {
    assertStorable(variables, 'variables');
    const task = await this.deps.db('tasks').where({ id }).first('process_instance_id', 'state');
    if (!task) throw new WeftError('TASK_NOT_FOUND', `No task with id ${id}`);
    return this.path.command(lockInstance(task.process_instance_id), { type: 'COMPLETE_TASK', taskId: id, variables }, actor, async (tx) => {
      const [current] = await tx.query('SELECT state, assignee FROM tasks WHERE id = ?', [id]);
      if (current.state === 'COMPLETED') return { duplicate: true };
      if (current.state !== 'CREATED') throw new WeftError('TASK_NOT_ACTIVE', `Task ${id} is ${current.state}`);
      // Checked under the instance lock, so a reassignment between the route's check and here cannot slip through.
      if (expect && current.assignee !== expect.assignee) throw new WeftError('FORBIDDEN', `Claim task ${id} before completing it`);
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
    await this.path.command(lockInstance(incident.process_instance_id), { type: 'RESOLVE_INCIDENT', incidentId: id }, actor);
    return this.queries.incident(id);
  }

  async health(): Promise<{ postgres: boolean; redis: boolean }> {
    // Both bounded: a load balancer asks often and must get an answer fast, even when the pool is stuck.
    const [postgres, redis] = await Promise.all([this.probe('postgres', () => this.deps.db.raw('select 1')), this.probe('redis', () => this.deps.redis.ping())]);
    return { postgres, redis };
  }

  /** One check of a service in flight at a time: while Postgres hangs, each /health call must not queue another connection request. */
  private readonly probes: { postgres?: Promise<unknown>; redis?: Promise<unknown> } = {};

  private probe(service: 'postgres' | 'redis', check: () => Promise<unknown>): Promise<boolean> {
    const attempt = (this.probes[service] ??= check().finally(() => (this.probes[service] = undefined)));
    return withTimeout(attempt, 1000).then(() => true, () => false);
  }

}


