/**
 * The runtime's data: instance state, the commands that move it, and the
 * effects a step asks the I/O layer to carry out.
 *
 * `step(definition, state, command, context) → { state, effects }` is pure:
 * everything here is plain JSON. The persistence layer stores `InstanceState`
 * as one JSONB document on the instance row (locked FOR UPDATE while a command
 * runs) and applies the effects in the same transaction.
 */
import type { Binding, ElementKind } from '../model/types.js';
import type { EvaluatedDecision } from '../dmn/evaluation-types.js';
import type { IncidentType } from '../errors.js';
import type { ModificationInstruction } from './modification/instructions.js';

export type Variables = Record<string, unknown>;

export type InstanceStatus = 'ACTIVE' | 'COMPLETED' | 'TERMINATED' | 'CANCELED';

/** See lifecycle.ts for the allowed transitions. */
export type ElementState = 'ACTIVATING' | 'ACTIVE' | 'COMPLETING' | 'COMPLETED' | 'TERMINATING' | 'TERMINATED';

export interface ElementInstance {
  /** Unique key of this activation (the process element instance's key is the instance id). */
  key: string;
  elementId: string;
  kind: ElementKind;
  state: ElementState;
  /** Key of the enclosing scope's element instance (the process or a sub-process); null for the process itself. */
  scopeKey: string | null;
  /** Local variables; present on scopes (process, sub-process) and on elements with input mappings. */
  variables?: Variables;
  /** For a wait state: the job or task this element waits on. */
  jobKey?: string;
  taskId?: string;
  /** For containers: arrivals at joining gateways, by gateway id then incoming flow id. */
  joins?: Record<string, Record<string, number>>;
  /** Element instance is stopped by an open incident. */
  incidentId?: string;
  /** Ad-hoc sub-processes: the agent's turns and what the chosen activities returned. */
  adHoc?: AdHocState;
  /** A call activity: the child instance it waits for. */
  childInstanceId?: string;
  /** A business rule task: the decision it asked to have evaluated (EVALUATE_DECISION), until DECISION_EVALUATED answers. */
  decisionId?: string;
  /** Scopes: the completed activities inside that can still be compensated, in completion order. */
  compensable?: CompensableRecord[];
  /** A compensation throw (or cancel end) event waiting for these handler instances to finish. */
  compensating?: string[];
  /** A compensation handler's run: the key of the event that started it (told when it finishes). */
  compensationFor?: string;
  /**
   * Set on the body of a repeating activity (multi-instance or standard
   * loop): the element instance that holds the activity's boundary events and
   * whose children are the runs of the activity itself (same element id).
   */
  loop?: LoopState;
}

/**
 * A completed activity that can be compensated: its handler with the local
 * variables it had (an item, a loopCounter, its input mappings), and what
 * completed inside it that can be compensated too (a sub-process, a loop body).
 */
export interface CompensableRecord {
  elementId: string;
  handlerId?: string;
  variables?: Variables;
  nested?: CompensableRecord[];
}

export interface LoopState {
  type: 'multiInstance' | 'standard';
  /** Runs to make in all (multi-instance); for a standard loop, unknown until its condition fails. */
  total?: number;
  /** Runs started, completed, and ended early by the completion condition. */
  started: number;
  completed: number;
  terminated: number;
  /** The input collection as evaluated when the body became active (sequential runs take their item from it). */
  items?: unknown[];
  /** The completion condition held: no more runs start, and the body completes when the running ones are gone. */
  done?: boolean;
  /** Set while a parallel body starts its runs, so one that completes at once does not end the body early. */
  activating?: boolean;
}

export interface AdHocState {
  /** Agent jobs created so far (the next job is turn `turn`). */
  turn: number;
  /** The agent said it is done: complete when the last running activity ends. */
  done?: boolean;
  /** Set while chosen activities are being activated, so one finishing at once does not ask the agent early. */
  activating?: boolean;
  /** The choice being activated right now (an activity may complete within its own activation). */
  pending?: { elementId: string; toolCallId?: string };
  /** Running activities chosen by the agent, by element instance key. */
  calls: Record<string, { elementId: string; toolCallId?: string }>;
  /** What finished activities returned, in order; handed to the agent's next job. */
  results: { elementId: string; toolCallId?: string; turn: number; variables: Variables }[];
}

/**
 * How a job's worker steers its element beyond its variables (Camunda's job
 * result). Only the job of an ad-hoc sub-process takes one: the inner
 * activities to run next, each with local variables, and whether the
 * sub-process is done (when they have ended, or at once, canceling them).
 */
export interface AdHocJobResult {
  type: 'adHocSubProcess';
  activateElements: { elementId: string; variables: Variables }[];
  completionConditionFulfilled: boolean;
  cancelRemainingInstances: boolean;
}
export type JobResult = AdHocJobResult;

export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'COMPLETED' | 'FAILED' | 'ERROR_THROWN' | 'CANCELED';

/** What the instance knows of a job it created (the jobs table is the projection workers use). */
export interface JobRecord {
  key: string;
  type: string;
  elementInstanceKey: string;
  elementId: string;
  retries: number;
  state: JobState;
  /**
   * A job an agent asked for in one of its tool calls (tool-jobs.ts): it
   * belongs to the agent task's element but does not finish it; its outcome
   * is kept here for the agent until the agent's own job ends.
   */
  toolCall?: { parentJobKey: string; toolCallId: string };
  /** How a tool job ended: its worker's variables, or its failure or BPMN error. */
  outcome?: ToolJobOutcome;
  /** On an agent's job: the tool jobs it created, by tool call id. */
  toolJobs?: Record<string, string>;
}

export type ToolJobOutcome =
  | { state: 'COMPLETED'; variables: Variables }
  | { state: 'FAILED'; errorMessage: string }
  | { state: 'ERROR_THROWN'; errorCode: string; errorMessage?: string; variables?: Variables };

export interface IncidentRecord {
  id: string;
  /** Stable code from errors.ts (IncidentTypes), e.g. `JOB_NO_RETRIES`, `EXPRESSION_FAILED`, `UNHANDLED_BPMN_ERROR`. */
  type: IncidentType;
  message: string;
  elementId: string;
  elementInstanceKey: string;
  jobKey?: string;
  /**
   * What resolving the incident does: re-run the element's activation (an
   * expression failed), retry the job, or re-run its completion (an output
   * mapping failed).
   */
  retry: 'activate' | 'job' | 'complete';
  /** Variables to apply again on a 'complete' retry (the job's or task's result). */
  pendingVariables?: Variables;
}

/**
 * What a repeating timer does after it fires: `cycle` is the ISO 8601
 * duration of a repeating interval (`R3/PT10M` → `PT10M`) or a cron
 * expression; `remaining` counts the firings still to come (null: forever).
 */
export interface TimerRepeat {
  kind: 'interval' | 'cron';
  cycle: string;
  remaining: number | null;
}

/**
 * Something the instance waits for outside itself: a timer or a message
 * subscription. It belongs to one element instance (`elementInstanceKey`):
 * the catch event or receive task that waits, or the activity a boundary
 * event (`elementId`) is attached to; it is closed when that instance leaves.
 * The timers and message_subscriptions tables are its projections.
 */
export interface WaitRecord {
  id: string;
  type: 'timer' | 'message' | 'signal';
  /** The element that catches: the waiting event or task itself, or a boundary event of the owner. */
  elementId: string;
  elementInstanceKey: string;
  /** Timers: when it is due, and what follows when it repeats. */
  dueAt?: string;
  repeat?: TimerRepeat;
  /** Signals: the name the subscription matches. */
  signalName?: string;
  /** Messages: the name and correlation key the subscription matches. */
  messageName?: string;
  correlationKey?: string;
  /** False for a non-interrupting boundary event: a message subscription then stays open after a correlation. */
  interrupting?: boolean;
}

export interface InstanceState {
  id: string;
  processId: string;
  version: number;
  /** Definition key (process_definitions.key). */
  definitionKey: string;
  businessKey?: string;
  /**
   * The correlation key of the message that started the instance at a
   * message start event, when it had one: while the instance is active, no
   * other message with this key starts the process (Camunda 8).
   */
  startCorrelationKey?: string;
  status: InstanceStatus;
  /** Live element instances by key, including the process element instance under `id`. */
  elements: Record<string, ElementInstance>;
  /** Jobs not yet finished, by key. */
  jobs: Record<string, JobRecord>;
  /** Open incidents by id. */
  incidents: Record<string, IncidentRecord>;
  /** Open timers and message subscriptions by id (absent on states stored before waits existed). */
  waits?: Record<string, WaitRecord>;
  /** Counter for element instance keys, so keys are deterministic within an instance. */
  nextKey: number;
  /** For an instance started by a call activity: where it reports its end. */
  parent?: ParentLink;
}

/** The call activity (in the parent instance) that started an instance. */
export interface ParentLink {
  instanceId: string;
  elementInstanceKey: string;
  elementId: string;
  processId: string;
}

// ---------------------------------------------------------------- commands

export interface Actor {
  /** 'engine' | 'worker:<id>' | 'user:<id>' | 'admin' … */
  id: string;
}

export type Command =
  | { type: 'COMPLETE_JOB'; jobKey: string; variables: Variables; result?: JobResult }
  | { type: 'FAIL_JOB'; jobKey: string; retries: number; errorMessage: string; retryBackoffMs?: number }
  /** An operator sets how many attempts a job has left; it does not resolve an open incident (RESOLVE_INCIDENT does). */
  | { type: 'UPDATE_JOB_RETRIES'; jobKey: string; retries: number }
  | { type: 'THROW_ERROR'; jobKey: string; errorCode: string; errorMessage?: string; variables: Variables }
  | { type: 'COMPLETE_TASK'; taskId: string; variables: Variables }
  | { type: 'RESOLVE_INCIDENT'; incidentId: string }
  /** A timer is due (the timer sweep, under the instance lock). */
  | { type: 'FIRE_TIMER'; timerId: string }
  /** A published message matched this subscription; its variables go to the catching element. */
  | { type: 'CORRELATE_MESSAGE'; subscriptionId: string; messageKey: string; variables: Variables }
  /** A signal was broadcast: every open signal subscription of the instance for `name` is triggered. */
  | { type: 'DELIVER_SIGNAL'; name: string; signalKey: string; variables: Variables }
  /** The child a call activity waits for completed with `variables` (its root scope's). */
  | { type: 'CHILD_COMPLETED'; elementInstanceKey: string; childInstanceId: string; variables: Variables }
  /** The child threw a BPMN error nothing inside it catches: the parent's call activity throws it on. */
  | { type: 'CHILD_ERROR'; elementInstanceKey: string; childInstanceId: string; errorCode: string; errorMessage?: string; variables: Variables }
  /** The child could not be started (no such process, or no version for the binding): an incident on the call activity. */
  | { type: 'CHILD_START_FAILED'; elementInstanceKey: string; childInstanceId: string; message: string }
  /**
   * The decision a business rule task asked for (EVALUATE_DECISION) was
   * evaluated, in the same transaction: its `result`, or a `failure` (no
   * such decision for the binding: `notFound`; else it could not be
   * evaluated, the message naming the decision and the rule or input).
   */
  | {
      type: 'DECISION_EVALUATED';
      elementInstanceKey: string;
      decisionId: string;
      result?: unknown;
      failure?: { message: string; notFound?: boolean };
      /** Which version was evaluated, and what each decision on the way read and matched: for the audit. */
      decision?: { key: string; version: number };
      evaluatedDecisions?: EvaluatedDecision[];
    }
  /** Continues an element waiting for nothing but this (a receive task without a message). */
  | { type: 'TRIGGER'; elementInstanceKey: string; variables: Variables }
  /**
   * An agent's tool call becomes a job of the tool's type on the agent task's
   * element (`toolJobKey` is derived from the agent's job key and the call id
   * by the caller, so asking twice creates one job).
   */
  | { type: 'CREATE_TOOL_JOB'; parentJobKey: string; toolJobKey: string; toolCallId: string; jobType: string; retries: number; variables: Variables; headers: Record<string, string> }
  | { type: 'CANCEL' }
  /**
   * An operator changes where the tokens are (modification/): every
   * instruction is checked before any is applied, and all apply in this one
   * step or none does.
   */
  | { type: 'MODIFY'; instructions: ModificationInstruction[]; reason: string };

export interface StepContext {
  /** Current time, ISO string (the clock is passed in; the runtime reads none). */
  now: string;
  /** Fresh unique id source (UUIDs in production, counters in tests). */
  newId: () => string;
  actor: Actor;
}

// ---------------------------------------------------------------- effects

export interface JobSpec {
  key: string;
  type: string;
  elementId: string;
  elementInstanceKey: string;
  retries: number;
  headers: Record<string, string>;
  /** Variables visible to the element when the job was created. */
  variables: Variables;
}

export interface TaskSpec {
  id: string;
  elementId: string;
  elementInstanceKey: string;
  name?: string;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate?: string;
  followUpDate?: string;
  formId?: string;
  formKey?: string;
  priority: number;
  headers: Record<string, string>;
  variables: Variables;
}

/** Audit event types; every transition emits one. */
export type AuditType =
  | 'INSTANCE_CREATED'
  | 'INSTANCE_COMPLETED'
  | 'INSTANCE_TERMINATED'
  | 'INSTANCE_CANCELED'
  | 'ELEMENT_ACTIVATED'
  | 'ELEMENT_COMPLETED'
  | 'ELEMENT_TERMINATED'
  | 'FLOW_TAKEN'
  | 'VARIABLES_SET'
  | 'JOB_CREATED'
  | 'JOB_COMPLETED'
  | 'JOB_FAILED'
  | 'JOB_RETRIED'
  | 'JOB_RETRIES_UPDATED'
  | 'JOB_ERROR_THROWN'
  | 'JOB_CANCELED'
  | 'TASK_CREATED'
  | 'TASK_CLAIMED'
  | 'TASK_COMPLETED'
  | 'TASK_CANCELED'
  | 'INCIDENT_OPENED'
  | 'INCIDENT_RESOLVED'
  | 'ERROR_CAUGHT'
  | 'TIMER_CREATED'
  | 'TIMER_FIRED'
  | 'TIMER_CANCELED'
  | 'MESSAGE_SUBSCRIPTION_OPENED'
  | 'MESSAGE_CORRELATED'
  | 'MESSAGE_SUBSCRIPTION_CLOSED'
  | 'ELEMENT_TRIGGERED'
  | 'ESCALATION_THROWN'
  | 'EVENT_SUB_PROCESS_TRIGGERED'
  | 'SIGNAL_SUBSCRIPTION_OPENED'
  | 'SIGNAL_SUBSCRIPTION_CLOSED'
  | 'SIGNAL_RECEIVED'
  | 'SIGNAL_BROADCAST'
  | 'CHILD_INSTANCE_STARTED'
  | 'CHILD_INSTANCE_COMPLETED'
  | 'CHILD_INSTANCE_CANCELED'
  | 'DECISION_EVALUATED'
  | 'COMPENSATION_STARTED'
  | 'TRANSACTION_CANCELED'
  | 'INSTANCE_MODIFIED'
  | 'INSTANCE_MIGRATED';

export interface AuditEvent {
  type: AuditType;
  elementId?: string;
  elementInstanceKey?: string;
  payload?: Record<string, unknown>;
}

export interface TimerSpec {
  id: string;
  elementId: string;
  elementInstanceKey: string;
  dueAt: string;
  repeat?: TimerRepeat;
}

export interface MessageSubscriptionSpec {
  id: string;
  elementId: string;
  elementInstanceKey: string;
  messageName: string;
  correlationKey: string;
  interrupting: boolean;
}

export interface SignalSubscriptionSpec {
  id: string;
  elementId: string;
  elementInstanceKey: string;
  signalName: string;
}

export interface ChildInstanceSpec {
  id: string;
  processId: string;
  binding: Binding;
  variables: Variables;
  parent: ParentLink;
}

export type ChildOutcome =
  | { type: 'completed'; variables: Variables }
  | { type: 'error'; errorCode: string; errorMessage?: string; variables: Variables };

export type Effect =
  | { type: 'AUDIT'; event: AuditEvent }
  | { type: 'CREATE_JOB'; job: JobSpec }
  /** Hand the job out again after `availableAt` (a retry after failure, or after an incident was resolved). */
  | { type: 'RETRY_JOB'; jobKey: string; retries: number; availableAt: string }
  /** A job's retries changed and nothing else: it is not handed out again. */
  | { type: 'SET_JOB_RETRIES'; jobKey: string; retries: number }
  | { type: 'FINISH_JOB'; jobKey: string; state: 'COMPLETED' | 'FAILED' | 'ERROR_THROWN' | 'CANCELED'; errorMessage?: string; retries?: number }
  | { type: 'CREATE_TASK'; task: TaskSpec }
  | { type: 'FINISH_TASK'; taskId: string; state: 'COMPLETED' | 'CANCELED' }
  | { type: 'OPEN_INCIDENT'; incident: IncidentRecord }
  | { type: 'RESOLVE_INCIDENT'; incidentId: string }
  | { type: 'INSTANCE_ENDED'; status: Exclude<InstanceStatus, 'ACTIVE'> }
  | { type: 'OPEN_TIMER'; timer: TimerSpec }
  /** FIRED: it happened; CANCELED: its element left before it was due. */
  | { type: 'CLOSE_TIMER'; timerId: string; state: 'FIRED' | 'CANCELED' }
  | { type: 'OPEN_MESSAGE_SUBSCRIPTION'; subscription: MessageSubscriptionSpec }
  /** CORRELATED: a message arrived; CLOSED: its element left first. */
  | { type: 'CLOSE_MESSAGE_SUBSCRIPTION'; subscriptionId: string; state: 'CORRELATED' | 'CLOSED'; messageKey?: string }
  | { type: 'OPEN_SIGNAL_SUBSCRIPTION'; subscription: SignalSubscriptionSpec }
  | { type: 'CLOSE_SIGNAL_SUBSCRIPTION'; subscriptionId: string }
  /**
   * A signal thrown in this instance, for every other instance and every
   * signal start event (this instance's own catchers got it in the step).
   * Written durably with the step; delivered after commit.
   */
  | { type: 'BROADCAST_SIGNAL'; signalKey: string; name: string; variables: Variables }
  /**
   * A call activity starts a child instance: written with the step (the
   * child is created in the same transaction, or the parent gets
   * CHILD_START_FAILED).
   */
  | { type: 'START_CHILD_INSTANCE'; child: ChildInstanceSpec }
  /** The call activity ended before its child did (a boundary event, a cancel): the child is canceled after commit. */
  | { type: 'CANCEL_CHILD_INSTANCE'; childInstanceId: string }
  /** This instance, started by a call activity, ended: its parent hears of it after commit. */
  | { type: 'NOTIFY_PARENT'; parent: ParentLink; outcome: ChildOutcome }
  /**
   * A business rule task asks for its decision: the command path evaluates
   * the deployed decision (`binding` picks the version; `deployment` is the
   * one deployed with this instance's process) with `variables`, in the same
   * transaction, and feeds DECISION_EVALUATED back before anything is
   * written. Never written itself.
   */
  | { type: 'EVALUATE_DECISION'; elementInstanceKey: string; elementId: string; decisionId: string; binding: Binding; variables: Variables };

/** A command the instance cannot take; becomes a 4xx at the API edge, never an exception. */
export interface Rejection {
  code: string;
  message: string;
}

export type StepResult =
  | { ok: true; state: InstanceState; effects: Effect[] }
  | { ok: false; rejection: Rejection };
