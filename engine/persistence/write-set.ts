/**
 * Turns a step's effects into the rows they write (pure), so the applier can
 * write them all in one SQL statement: the hot path of a token move is then
 * lock, one statement, commit.
 */
import { randomUUID } from 'node:crypto';
import type { ChildInstanceSpec, Effect, InstanceState } from '../runtime/types.js';
import { queueForJobType } from '../queue/routing.js';

export interface OutboxRow {
  id: string;
  queue: string;
  /** `traceparent`: the trace the message continues (stamped after the write, when tracing is on; the row itself has none). */
  payload: { jobKey: string; traceparent?: string };
  available_at: string;
}

export interface NewInstanceRow {
  definition_key: string;
  process_id: string;
  version: number;
  business_key: string | null;
  /** A child of a call activity: its parent instance and the call activity's element instance. */
  parent_instance_id?: string | null;
  parent_element_instance_key?: string | null;
  /** A message start event's correlation key (InstanceState.startCorrelationKey). */
  start_correlation_key?: string | null;
}

export interface WriteSet {
  instance: { id: string; state: InstanceState; status: string; ended: boolean; insert?: NewInstanceRow };
  jobInserts: Record<string, unknown>[];
  jobFinishes: { key: string; state: string; error_message: string | null; retries: number | null }[];
  jobRetries: { key: string; retries: number; available_at: string; dispatch_id: string }[];
  /** Retries set by an operator: the job keeps its state, its worker and its dispatch. */
  jobRetryUpdates: { key: string; retries: number }[];
  taskInserts: Record<string, unknown>[];
  taskFinishes: { id: string; state: string; completed_by: string | null }[];
  incidentInserts: Record<string, unknown>[];
  incidentResolves: string[];
  outbox: OutboxRow[];
  audit: Record<string, unknown>[];
  timerInserts: Record<string, unknown>[];
  timerCloses: { id: string; state: string }[];
  subscriptionInserts: Record<string, unknown>[];
  subscriptionCloses: { id: string; state: string }[];
  signalSubscriptionInserts: Record<string, unknown>[];
  signalSubscriptionDeletes: string[];
  signalBroadcasts: Record<string, unknown>[];
  /** Child instances to create in the same transaction (the command path starts them: it needs their definitions). */
  childStarts: ChildInstanceSpec[];
  /** Notes to other instances (a child's end to its parent, a cancel to a child), delivered after commit. */
  notifications: Record<string, unknown>[];
}

export function writeSetOf(state: InstanceState, effects: Effect[], actor: string, now: string, insert?: NewInstanceRow): WriteSet {
  const set: WriteSet = {
    instance: { id: state.id, state, status: state.status, ended: false, insert },
    jobInserts: [],
    jobFinishes: [],
    jobRetries: [],
    jobRetryUpdates: [],
    taskInserts: [],
    taskFinishes: [],
    incidentInserts: [],
    incidentResolves: [],
    outbox: [],
    audit: [],
    timerInserts: [],
    timerCloses: [],
    subscriptionInserts: [],
    subscriptionCloses: [],
    signalSubscriptionInserts: [],
    signalSubscriptionDeletes: [],
    signalBroadcasts: [],
    childStarts: [],
    notifications: [],
  };
  for (const effect of effects) {
    switch (effect.type) {
      case 'AUDIT':
        set.audit.push({
          process_instance_id: state.id,
          at: now,
          actor,
          type: effect.event.type,
          element_id: effect.event.elementId ?? null,
          element_instance_key: effect.event.elementInstanceKey ?? null,
          payload: effect.event.payload ?? null,
        });
        break;
      case 'CREATE_JOB': {
        const { job } = effect;
        const dispatch = dispatchRow(job.key, job.type, now);
        set.outbox.push(dispatch);
        set.jobInserts.push({
          key: job.key,
          type: job.type,
          process_instance_id: state.id,
          process_id: state.processId,
          element_id: job.elementId,
          element_instance_key: job.elementInstanceKey,
          state: 'ACTIVATABLE',
          retries: job.retries,
          headers: job.headers,
          variables: job.variables,
          available_at: now,
          dispatch_id: dispatch.id,
          created_at: now,
          updated_at: now,
        });
        break;
      }
      case 'RETRY_JOB': {
        const dispatch = dispatchRow(effect.jobKey, state.jobs[effect.jobKey].type, effect.availableAt);
        set.outbox.push(dispatch);
        set.jobRetries.push({ key: effect.jobKey, retries: effect.retries, available_at: effect.availableAt, dispatch_id: dispatch.id });
        break;
      }
      case 'SET_JOB_RETRIES': {
        const pending = set.jobInserts.find((j) => j.key === effect.jobKey);
        if (pending) pending.retries = effect.retries;
        else set.jobRetryUpdates.push({ key: effect.jobKey, retries: effect.retries });
        break;
      }
      case 'FINISH_JOB': {
        // A job created and ended in the same step (a terminate end event) is not written yet.
        const pending = set.jobInserts.find((j) => j.key === effect.jobKey);
        if (pending) pending.state = effect.state;
        else set.jobFinishes.push({ key: effect.jobKey, state: effect.state, error_message: effect.errorMessage ?? null, retries: effect.retries ?? null });
        break;
      }
      case 'CREATE_TASK': {
        const { task } = effect;
        set.taskInserts.push({
          id: task.id,
          process_instance_id: state.id,
          process_id: state.processId,
          element_id: task.elementId,
          element_instance_key: task.elementInstanceKey,
          name: task.name ?? null,
          state: 'CREATED',
          assignee: task.assignee ?? null,
          candidate_groups: task.candidateGroups,
          candidate_users: task.candidateUsers,
          due_date: task.dueDate ?? null,
          follow_up_date: task.followUpDate ?? null,
          form_id: task.formId ?? null,
          form_key: task.formKey ?? null,
          priority: task.priority,
          headers: task.headers,
          variables: task.variables,
          created_at: now,
        });
        break;
      }
      case 'FINISH_TASK': {
        const pending = set.taskInserts.find((t) => t.id === effect.taskId);
        if (pending) pending.state = effect.state;
        else set.taskFinishes.push({ id: effect.taskId, state: effect.state, completed_by: effect.state === 'COMPLETED' ? actor : null });
        break;
      }
      case 'OPEN_INCIDENT': {
        const { incident } = effect;
        set.incidentInserts.push({
          id: incident.id,
          process_instance_id: state.id,
          element_id: incident.elementId,
          element_instance_key: incident.elementInstanceKey,
          job_key: incident.jobKey ?? null,
          type: incident.type,
          message: incident.message,
          state: 'OPEN',
          created_at: now,
        });
        break;
      }
      case 'RESOLVE_INCIDENT': {
        const pending = set.incidentInserts.find((i) => i.id === effect.incidentId);
        if (pending) Object.assign(pending, { state: 'RESOLVED', resolved_at: now, resolved_by: actor });
        else set.incidentResolves.push(effect.incidentId);
        break;
      }
      case 'INSTANCE_ENDED':
        set.instance.ended = true;
        break;
      case 'OPEN_TIMER': {
        const { timer } = effect;
        set.timerInserts.push({
          id: timer.id,
          process_instance_id: state.id,
          definition_key: state.definitionKey,
          process_id: state.processId,
          element_id: timer.elementId,
          element_instance_key: timer.elementInstanceKey,
          due_at: timer.dueAt,
          repeat: timer.repeat ?? null,
          state: 'ACTIVE',
          created_at: now,
        });
        break;
      }
      case 'CLOSE_TIMER': {
        // A timer armed and closed in the same step (its element left at once) is not written as active.
        const pending = set.timerInserts.find((t) => t.id === effect.timerId);
        if (pending) pending.state = effect.state;
        else set.timerCloses.push({ id: effect.timerId, state: effect.state });
        break;
      }
      case 'OPEN_MESSAGE_SUBSCRIPTION': {
        const { subscription } = effect;
        set.subscriptionInserts.push({
          id: subscription.id,
          process_instance_id: state.id,
          definition_key: state.definitionKey,
          process_id: state.processId,
          element_id: subscription.elementId,
          element_instance_key: subscription.elementInstanceKey,
          message_name: subscription.messageName,
          correlation_key: subscription.correlationKey,
          interrupting: subscription.interrupting,
          state: 'OPEN',
          created_at: now,
        });
        break;
      }
      case 'OPEN_SIGNAL_SUBSCRIPTION': {
        const { subscription } = effect;
        set.signalSubscriptionInserts.push({
          id: subscription.id,
          process_instance_id: state.id,
          definition_key: state.definitionKey,
          process_id: state.processId,
          element_id: subscription.elementId,
          element_instance_key: subscription.elementInstanceKey,
          signal_name: subscription.signalName,
          created_at: now,
        });
        break;
      }
      case 'CLOSE_SIGNAL_SUBSCRIPTION': {
        // Open signal subscriptions are the only rows: one opened and closed in the same step is never written.
        const pending = set.signalSubscriptionInserts.findIndex((t) => t.id === effect.subscriptionId);
        if (pending >= 0) set.signalSubscriptionInserts.splice(pending, 1);
        else set.signalSubscriptionDeletes.push(effect.subscriptionId);
        break;
      }
      case 'BROADCAST_SIGNAL':
        set.signalBroadcasts.push({ key: effect.signalKey, name: effect.name, variables: effect.variables, source_instance_id: state.id, created_at: now });
        break;
      case 'START_CHILD_INSTANCE':
        set.childStarts.push(effect.child);
        break;
      case 'CANCEL_CHILD_INSTANCE':
        set.notifications.push({ key: randomUUID(), target_instance_id: effect.childInstanceId, source_instance_id: state.id, kind: 'cancel', payload: {}, created_at: now });
        break;
      case 'NOTIFY_PARENT':
        set.notifications.push({
          key: randomUUID(),
          target_instance_id: effect.parent.instanceId,
          source_instance_id: state.id,
          kind: effect.outcome.type === 'completed' ? 'child-completed' : 'child-error',
          payload: { elementInstanceKey: effect.parent.elementInstanceKey, ...effect.outcome },
          created_at: now,
        });
        break;
      case 'CLOSE_MESSAGE_SUBSCRIPTION': {
        const pending = set.subscriptionInserts.find((t) => t.id === effect.subscriptionId);
        if (pending) pending.state = effect.state;
        else set.subscriptionCloses.push({ id: effect.subscriptionId, state: effect.state });
        break;
      }
      case 'EVALUATE_DECISION':
        // The command path evaluates the decision and feeds DECISION_EVALUATED back in the same transaction; reaching here is a bug.
        throw new Error(`EVALUATE_DECISION (decision '${effect.decisionId}' for element ${effect.elementId} of instance ${state.id}) must be answered with DECISION_EVALUATED before the step is written`);
      default: {
        const unknown: never = effect;
        throw new Error(`No writer for effect ${JSON.stringify(unknown)}`);
      }
    }
  }
  return set;
}

/** The row lists of a write set (everything but its instance), each named once so a new one cannot be left out of a merge. */
const ROW_LISTS: { [K in Exclude<keyof WriteSet, 'instance'>]: true } = {
  jobInserts: true,
  jobFinishes: true,
  jobRetries: true,
  jobRetryUpdates: true,
  taskInserts: true,
  taskFinishes: true,
  incidentInserts: true,
  incidentResolves: true,
  outbox: true,
  audit: true,
  timerInserts: true,
  timerCloses: true,
  subscriptionInserts: true,
  subscriptionCloses: true,
  signalSubscriptionInserts: true,
  signalSubscriptionDeletes: true,
  signalBroadcasts: true,
  childStarts: true,
  notifications: true,
};

/** The rows of several instances' write sets together, for one statement over all of them (their rows are disjoint). */
export function mergeRows(sets: WriteSet[]): Omit<WriteSet, 'instance'> {
  const merged = {} as Record<string, unknown[]>;
  for (const list of Object.keys(ROW_LISTS)) merged[list] = sets.flatMap((s) => s[list as keyof typeof ROW_LISTS] as unknown[]);
  return merged as unknown as Omit<WriteSet, 'instance'>;
}

/** A message subscription a step opened and left open: a buffered message may already be waiting for it. */
export interface OpenedSubscription {
  id: string;
  processInstanceId: string;
  processId: string;
  messageName: string;
  correlationKey: string;
}

/**
 * What a committed step made ready to receive a buffered message: the
 * subscriptions it opened, and the correlation key an ended instance no
 * longer holds at its process's message start events. The messages feature
 * looks for buffered messages for them after commit (engine/messages).
 */
export interface MessageOpenings {
  subscriptions: OpenedSubscription[];
  freedStartKeys: { processId: string; correlationKey: string }[];
}

export function messageOpeningsOf(set: WriteSet): MessageOpenings {
  const { state } = set.instance;
  const subscriptions = set.subscriptionInserts
    .filter((s) => s.state === 'OPEN')
    .map((s) => ({ id: s.id as string, processInstanceId: state.id, processId: state.processId, messageName: s.message_name as string, correlationKey: s.correlation_key as string }));
  const freedStartKeys = set.instance.ended && state.startCorrelationKey ? [{ processId: state.processId, correlationKey: state.startCorrelationKey }] : [];
  return { subscriptions, freedStartKeys };
}

function dispatchRow(jobKey: string, type: string, availableAt: string): OutboxRow {
  return { id: randomUUID(), queue: queueForJobType(type), payload: { jobKey }, available_at: availableAt };
}
