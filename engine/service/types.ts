/**
 * What the engine offers to its edges (REST API, in-process workers, CLI).
 * Implemented by EngineService (engine-service.ts) over Postgres and BullMQ.
 *
 * Every method either returns data or throws a WeftError (engine/errors.ts)
 * whose `code` and `status` the API maps to `{"error": {code, message, details}}`.
 */
import type { ModelProblem } from '../model/types.js';
import type { InstanceStatus, JobResult, Variables } from '../runtime/types.js';
import type { PublishMessageRequest, PublishMessageResult } from '../messages/message-types.js';
import type { BroadcastSignalRequest, BroadcastSignalResult } from '../signals/signal-types.js';
import type { DefinitionFilter } from '../persistence/definition-repository.js';
import type { ModificationInstruction } from '../runtime/modification/instructions.js';
import type { MigratedElement, MigrationMapping } from '../runtime/migration/mappings.js';
import type { ChainVerdict } from '../audit/audit-chain.js';
import type { InstanceSearch } from '../persistence/instance-search.js';
import type { DefinitionStatistics } from '../persistence/definition-statistics.js';

export interface DeploymentResource {
  name: string;
  content: Buffer | string;
}

export interface DeployedProcess {
  key: string;
  processId: string;
  version: number;
  name: string | null;
}

/**
 * Something a deployment holds that is deployed but will not work as it
 * stands on this server (an agent whose model is not configured): listed in
 * the response, never a refusal.
 */
export interface DeployWarning {
  file: string;
  elementId?: string;
  /** The field of the file that is concerned (`model.connection` of an agent definition). */
  field?: string;
  /** What an administrator sets to clear it (an environment variable, a setting). */
  setting: string;
  message: string;
}

/** Asked after a deployment committed, with what it held; its warnings go into the response (features' `deployWarnings`). */
export type DeployWarningCheck = (deployment: {
  processes: { file: string; model: import('../model/types.js').ExecutableProcess }[];
  resources: { name: string; content: string }[];
}) => Promise<DeployWarning[]>;

export interface DeploymentResult {
  id: string;
  processes: DeployedProcess[];
  /** What is deployed but will not work as it stands (an unconfigured agent model); empty when nothing. */
  warnings: DeployWarning[];
  /** Other deployed resources by kind (e.g. `forms`, `agents`), as their handlers list them. */
  [kind: string]: unknown;
}

export interface ProcessDefinitionSummary extends DeployedProcess {
  deploymentId: string;
  resourceName: string;
  createdAt: string;
}

/** A deployed decision version, as the deployment response and GET /api/decisions list it. */
export interface DecisionSummary {
  key: string;
  decisionId: string;
  version: number;
  name: string | null;
  versionTag: string | null;
  /** The `definitions` id of the .dmn file it is in. */
  decisionRequirementsId: string;
  resourceName: string;
}

/** POST /api/decisions/:decisionId/evaluate: what came out, which rules matched, and each decision evaluated on the way (required ones first). */
export interface DecisionEvaluationResult {
  decisionId: string;
  decisionKey: string;
  version: number;
  result: unknown;
  matchedRules: unknown[];
  evaluatedDecisions: unknown[];
}

export interface StartInstanceRequest {
  processId: string;
  version?: number;
  variables?: Variables;
  businessKey?: string;
  /**
   * Makes the start idempotent: a start with a key already used starts
   * nothing and answers the instance the first one started, with
   * `duplicate: true` (a webhook's replayed delivery).
   */
  startKey?: string;
}

export interface InstanceSummary {
  id: string;
  /** Only on a start whose startKey was used before: the instance that start made. */
  duplicate?: true;
  processId: string;
  version: number;
  state: InstanceStatus;
  businessKey: string | null;
  createdAt: string;
  endedAt: string | null;
}

/** An instance as the search lists it. */
export interface InstanceListItem extends InstanceSummary {
  openIncidents: number;
  /** Started by a call activity of this instance. */
  parentInstanceId: string | null;
}

/** A scope's (or an element's) local variables: the process under the instance id, sub-processes and elements with input mappings. */
export interface VariableScope {
  key: string;
  elementId: string;
  variables: Variables;
}

export interface InstanceDetail extends InstanceSummary {
  definitionKey: string;
  /** The process scope's variables (what `scopes` lists under the instance id). */
  variables: Variables;
  /** Every live scope with variables, the process first. */
  scopes: VariableScope[];
  elements: { id: string; elementId: string; state: string }[];
  /** How many times each element was activated, by element id. */
  activations: Record<string, number>;
  /** The sequence flows taken at least once. */
  flowsTaken: string[];
  /** The call activity that started this instance. */
  parent: { instanceId: string; elementId: string; processId: string } | null;
  /** Instances its call activities started; `elementId` is the call activity when still known. */
  children: { id: string; processId: string; version: number; state: InstanceStatus; elementId: string | null }[];
  incidents: IncidentView[];
  /** The timers the instance waits on (catch events, boundary events), soonest first. */
  timers: TimerView[];
}

export interface TimerView {
  id: string;
  /** The timer event: a catch event, or a boundary event of the activity `elementInstanceKey` is. */
  elementId: string;
  elementInstanceKey: string;
  dueAt: string;
  /** A cycle's repetitions after this one (null: without end). */
  repeat?: { kind: 'interval' | 'cron'; cycle: string; remaining: number | null };
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  type: string;
  processInstanceId: string | null;
  elementId: string | null;
  elementInstanceKey: string | null;
  payload: Record<string, unknown> | null;
}

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceId: string;
  processId: string;
  elementId: string;
  variables: Variables;
  headers: Record<string, string>;
  retries: number;
  deadline: string;
}

export interface TaskView {
  id: string;
  processInstanceId: string;
  processId: string;
  elementId: string;
  name: string | null;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED';
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formId: string | null;
  formKey: string | null;
  priority: number;
  headers: Record<string, string>;
  variables: Variables;
  createdAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

export interface IncidentView {
  id: string;
  processInstanceId: string;
  elementId: string;
  elementInstanceKey: string;
  jobKey: string | null;
  type: string;
  message: string;
  state: 'OPEN' | 'RESOLVED';
  createdAt: string;
  resolvedAt: string | null;
}

/** Result of a completion: `duplicate` is true when the same job/task was already completed (idempotent no-op). */
export interface CompletionResult {
  duplicate: boolean;
}

/** POST /api/process-instances/:id/modification (runtime/modification/instructions.ts). */
export interface ModificationRequest {
  instructions: ModificationInstruction[];
  /** Why: required, recorded in the audit with the instructions. */
  reason: string;
}

/** POST /api/process-instances/:id/migration: every active element needs a mapping (Camunda 8: none is implied by equal ids). */
export interface MigrationRequest {
  targetDefinitionKey: string;
  mappings: MigrationMapping[];
  dryRun?: boolean;
}

/** What a migration does (or, dry, would do) to each active element instance. */
export interface MigrationAnswer {
  processInstanceId: string;
  dryRun: boolean;
  sourceDefinitionKey: string;
  sourceVersion: number;
  targetDefinitionKey: string;
  targetVersion: number;
  elements: MigratedElement[];
}

export interface EngineApi {
  deploy(resources: DeploymentResource[], actor: string): Promise<DeploymentResult>;
  /** Every deployed definition, or only those with the given keys or process ids and versions. */
  listDefinitions(only?: DefinitionFilter): Promise<ProcessDefinitionSummary[]>;
  definitionXml(key: string): Promise<string>;

  listDecisions(): Promise<(DecisionSummary & { createdAt: string })[]>;
  /** The .dmn file the latest (or named) version of a decision was deployed in. */
  decisionXml(decisionId: string, version?: number): Promise<{ xml: string; resourceName: string }>;
  /** Evaluates the latest (or named) version; one that cannot be evaluated with these variables is a 422 naming the decision and the rule or input. */
  evaluateDecision(decisionId: string, req: { variables: Variables; version?: number }, actor: string): Promise<DecisionEvaluationResult>;

  startInstance(req: StartInstanceRequest, actor: string): Promise<InstanceSummary>;
  /** The instance search: filters, a sort from INSTANCE_SORT_FIELDS, a page (persistence/instance-search.ts). */
  listInstances(search: InstanceSearch): Promise<Page<InstanceListItem>>;
  getInstance(id: string): Promise<InstanceDetail>;
  /**
   * Merges variables into a live scope of an active instance (the process
   * scope by default) and into the open jobs that see them, audited as
   * VARIABLES_UPDATED with the reason and the values before; one transaction
   * (service/variable-edit.ts). An ended instance: INSTANCE_NOT_ACTIVE.
   */
  updateVariables(id: string, edit: { scopeKey?: string; variables: Variables; reason: string }, actor: string): Promise<VariableScope>;
  /** Every process version with its instances counted by state, in one query. */
  definitionStatistics(): Promise<DefinitionStatistics[]>;
  cancelInstance(id: string, actor: string): Promise<InstanceSummary>;
  audit(instanceId: string): Promise<AuditEntry[]>;
  /**
   * Moves, starts and cancels tokens of an active instance: every
   * instruction checked first, all applied in one transaction or none
   * (a refusal is a 4xx naming the instruction and the element). Audited as
   * INSTANCE_MODIFIED with the actor, the reason and the instructions.
   */
  modifyInstance(id: string, req: ModificationRequest, actor: string): Promise<InstanceDetail>;
  /**
   * Rebinds an active instance to another version of its process (or, with
   * `dryRun`, answers what that would do). Refused (MIGRATION_REFUSED, each
   * element at fault in `details.problems`) when an active element has no
   * mapping, a mapping crosses element types, or the target is another process.
   */
  migrateInstance(id: string, req: MigrationRequest, actor: string): Promise<MigrationAnswer>;
  /** Recomputes an audit hash chain: an instance's, or (null) that of the events of no instance. */
  verifyAudit(instanceId: string | null): Promise<ChainVerdict>;
  /** Continues an element that waits for nothing but this (a receive task without a message). */
  triggerElement(instanceId: string, req: { elementId: string; elementInstanceKey?: string; variables?: Variables }, actor: string): Promise<InstanceSummary>;

  /** Correlates a message to the waiting subscriptions and message start events it matches, buffering it for its time to live. */
  publishMessage(req: PublishMessageRequest, actor: string): Promise<PublishMessageResult>;

  /** Broadcasts a signal to every waiting catcher and signal start event; answers once it is delivered. */
  broadcastSignal(req: BroadcastSignalRequest, actor: string): Promise<BroadcastSignalResult>;

  /** Hand out up to maxJobs ACTIVATABLE jobs of a type (or ACTIVATED ones whose deadline passed). */
  activateJobs(req: { type: string; maxJobs: number; workerId: string; timeoutMs: number }): Promise<ActivatedJob[]>;
  /** Activate one specific job (what a BullMQ worker does when its queue hands it the job key); null when it is no longer to be worked. */
  activateJob(jobKey: string, workerId: string, timeoutMs: number): Promise<ActivatedJob | null>;
  /** The job's type (immutable once created); null when there is no such job. */
  jobType(jobKey: string): Promise<string | null>;
  /**
   * `result`: how the worker steers the job's element beyond its variables
   * (only an ad-hoc sub-process's job takes one; runtime/types.ts JobResult).
   * A result the element cannot take is refused (BAD_REQUEST naming the field)
   * and changes nothing.
   */
  completeJob(jobKey: string, variables: Variables, actor: string, result?: JobResult): Promise<CompletionResult>;
  failJob(jobKey: string, req: { retries: number; errorMessage: string; retryBackoffMs?: number }, actor: string): Promise<CompletionResult>;
  throwJobError(jobKey: string, req: { errorCode: string; errorMessage?: string; variables?: Variables }, actor: string): Promise<CompletionResult>;
  /**
   * Sets the attempts an open job has left (at least 1); audited as
   * JOB_RETRIES_UPDATED with the old and new count. A job held by an open
   * incident stays held: resolving the incident hands it out with these
   * retries. No such job, or one completed or canceled: JOB_NOT_FOUND.
   */
  updateJobRetries(jobKey: string, retries: number, actor: string): Promise<void>;

  listTasks(filter: { assignee?: string; candidateGroup?: string; state?: string; processInstanceId?: string; limit: number; offset: number }): Promise<Page<TaskView>>;
  getTask(id: string): Promise<TaskView>;
  /** With `override`, a task claimed by someone else is reassigned (audited with the previous assignee); without, that is a 409. */
  claimTask(id: string, assignee: string, actor: string, options?: { override?: boolean }): Promise<TaskView>;
  /** With `expect.assignee`, the task must still be claimed by that person when the completion takes the lock. */
  completeTask(id: string, variables: Variables, actor: string, expect?: { assignee: string }): Promise<CompletionResult>;

  listIncidents(filter: { processInstanceId?: string; state?: 'OPEN' | 'RESOLVED' }): Promise<IncidentView[]>;
  resolveIncident(id: string, actor: string): Promise<IncidentView>;

  health(): Promise<{ postgres: boolean; redis: boolean }>;
}

export type { DefinitionStatistics };
export type { ModelProblem, PublishMessageRequest, PublishMessageResult, BroadcastSignalRequest, BroadcastSignalResult };
