/**
 * The pure step function: `step(definition, state, command, ctx) → { state, effects }`.
 *
 * It never mutates its input (the state is cloned), reads no clock and does
 * no I/O. A command the instance cannot take is a rejection (data), which the
 * API turns into a 4xx; a broken invariant throws.
 */
import type { ExecutableProcess } from '../model/types.js';
import type { Command, ElementInstance, InstanceState, ParentLink, Rejection, StepContext, StepResult, Variables } from './types.js';
import { Run } from './run.js';
import { findErrorCatcher, propagateToParent, throwOrOpenIncident } from './error-catching.js';
import { auditCorrelation, takeWait } from './waits/waits.js';
import { deliverSignal, waitTrigger } from './waits/dispatch.js';
import { decisionEvaluated } from './behaviours/business-rule-task-behaviour.js';
import { refuseAdHocResult } from './behaviours/ad-hoc-sub-process-behaviour.js';
import { plainState } from './state-index.js';
import { createToolJob, dropToolJobs, finishToolJob } from './tool-jobs.js';
import { modify } from './modification/modify.js';

export interface NewInstance {
  id: string;
  definitionKey: string;
  version: number;
  businessKey?: string;
  /** Started by a call activity: where to report the end. */
  parent?: ParentLink;
  /** A message start event's message with a correlation key started it (see InstanceState.startCorrelationKey). */
  startCorrelationKey?: string;
}

/**
 * Creates an instance and runs it to its first wait states. `startAt` names
 * the start event when it is not the none start event (a timer or message
 * start event); a process with only such start events refuses a plain start.
 */
export function startInstance(definition: ExecutableProcess, meta: NewInstance, variables: Variables, ctx: StepContext, startAt?: string): StepResult {
  const process = definition.elements[definition.id];
  if (startAt === undefined && process.kind === 'process' && !process.startEventId) {
    const events = (process.eventStarts ?? []).map((id) => `'${id}'`).join(', ');
    return reject('NO_NONE_START_EVENT', `Process '${definition.id}' has no none start event; it is started by its start events (${events}): a timer or a published message`);
  }
  const state: InstanceState = {
    id: meta.id,
    processId: definition.id,
    version: meta.version,
    definitionKey: meta.definitionKey,
    businessKey: meta.businessKey,
    ...(meta.startCorrelationKey ? { startCorrelationKey: meta.startCorrelationKey } : {}),
    status: 'ACTIVE',
    elements: {},
    jobs: {},
    incidents: {},
    nextKey: 1,
  };
  if (meta.parent) state.parent = meta.parent;
  const run = new Run(definition, state, ctx);
  run.startAt = startAt;
  const root = { key: meta.id, elementId: definition.id, kind: 'process' as const, state: 'ACTIVE' as const, scopeKey: null, variables: {} };
  state.elements[root.key] = root;
  run.audit('INSTANCE_CREATED', root, { processId: definition.id, version: meta.version, businessKey: meta.businessKey ?? null, actor: ctx.actor.id });
  run.audit('ELEMENT_ACTIVATED', root, { kind: 'process' });
  run.setVariables(root.key, variables);
  run.runActivation(root);
  run.drain();
  return { ok: true, state: plainState(state), effects: run.effects };
}

/**
 * `inPlace`: the caller owns `current` and gives it up — it is moved on
 * instead of copied (a batch stepping one instance many times, where a copy
 * of a large state per command would cost more than the step); it keeps the
 * index that watches what each step touches (state-index.ts). A refused
 * command leaves it as it was either way: every handler refuses before it
 * changes anything.
 */
export function step(definition: ExecutableProcess, current: InstanceState, command: Command, ctx: StepContext, options: { inPlace?: boolean } = {}): StepResult {
  if (current.status !== 'ACTIVE') {
    return reject('INSTANCE_NOT_ACTIVE', `Process instance ${current.id} is ${current.status}`);
  }
  const state = options.inPlace ? current : structuredClone(plainState(current));
  const run = new Run(definition, state, ctx);
  const refused = handlers[command.type](run, command as never);
  if (refused) return { ok: false, rejection: refused };
  run.drain();
  // A copy is handed back as plain JSON; a state stepped in place keeps its index for its owner's next step.
  return { ok: true, state: options.inPlace ? state : plainState(state), effects: run.effects };
}

type Handler<C extends Command> = (run: Run, command: C) => Rejection | void;
type Handlers = { [T in Command['type']]: Handler<Extract<Command, { type: T }>> };

const handlers: Handlers = {
  COMPLETE_JOB(run, { jobKey, variables, result }) {
    const found = activeJob(run, jobKey);
    if ('code' in found) return found;
    const { job, instance } = found;
    const refused = result && refuseAdHocResult(run, job, instance, result);
    if (refused) return refused;
    if (job.toolCall) return finishToolJob(run, job, instance, { state: 'COMPLETED', variables });
    dropToolJobs(run, job);
    delete run.state.jobs[jobKey];
    run.emit({ type: 'FINISH_JOB', jobKey, state: 'COMPLETED' });
    run.audit('JOB_COMPLETED', instance, { jobKey, jobType: job.type, variables, actor: run.ctx.actor.id });
    const element = run.element(instance.elementId);
    const behaviour = run.behaviourFor(instance);
    if (behaviour.jobCompleted) behaviour.jobCompleted(run, element, instance, variables, result);
    else run.complete(instance, { result: variables });
  },

  FAIL_JOB(run, { jobKey, retries, errorMessage, retryBackoffMs }) {
    const found = activeJob(run, jobKey);
    if ('code' in found) return found;
    const { job, instance } = found;
    job.retries = Math.max(0, retries);
    run.audit('JOB_FAILED', instance, { jobKey, jobType: job.type, retries: job.retries, errorMessage, retryBackoffMs: retryBackoffMs ?? 0, actor: run.ctx.actor.id });
    if (job.retries > 0) {
      job.state = 'ACTIVATABLE';
      const availableAt = new Date(Date.parse(run.ctx.now) + (retryBackoffMs ?? 0)).toISOString();
      run.emit({ type: 'RETRY_JOB', jobKey, retries: job.retries, availableAt });
      return;
    }
    // A tool job out of retries is the agent's to handle (the model is told), not an incident of the element.
    if (job.toolCall) return finishToolJob(run, job, instance, { state: 'FAILED', errorMessage });
    job.state = 'FAILED';
    run.emit({ type: 'FINISH_JOB', jobKey, state: 'FAILED', errorMessage, retries: 0 });
    run.openIncident(instance, { type: 'JOB_NO_RETRIES', message: `Job failed with no retries left: ${errorMessage}`, retry: 'job', jobKey });
  },

  UPDATE_JOB_RETRIES(run, { jobKey, retries }) {
    const job = run.state.jobs[jobKey];
    // A completed or canceled job has left the instance: Zeebe answers NOT_FOUND for it too.
    if (!job || job.outcome) return reject('JOB_NOT_FOUND', `Job ${jobKey} is not open on instance ${run.state.id}`).rejection;
    if (!Number.isInteger(retries) || retries < 1) return reject('BAD_REQUEST', `retries: must be at least 1 (was ${retries})`).rejection;
    const instance = run.state.elements[job.elementInstanceKey];
    const oldRetries = job.retries;
    job.retries = retries;
    run.emit({ type: 'SET_JOB_RETRIES', jobKey, retries });
    // A job held by an open incident (FAILED, ERROR_THROWN) stays held: resolving the incident hands it out with these retries.
    run.audit('JOB_RETRIES_UPDATED', instance, { jobKey, oldRetries, retries, state: job.state, actor: run.ctx.actor.id });
  },

  THROW_ERROR(run, { jobKey, errorCode, errorMessage, variables }) {
    const found = activeJob(run, jobKey);
    if ('code' in found) return found;
    const { job, instance } = found;
    // A tool's BPMN error goes back to the agent that asked for it, not to the diagram's boundary events.
    if (job.toolCall) return finishToolJob(run, job, instance, { state: 'ERROR_THROWN', errorCode, errorMessage, variables });
    run.audit('JOB_ERROR_THROWN', instance, { jobKey, jobType: job.type, errorCode, errorMessage: errorMessage ?? null, actor: run.ctx.actor.id });
    const catcher = findErrorCatcher(run, instance, errorCode);
    if (catcher) {
      dropToolJobs(run, job);
      delete run.state.jobs[jobKey];
      run.emit({ type: 'FINISH_JOB', jobKey, state: 'ERROR_THROWN', errorMessage });
      catcher.catch(variables);
      return;
    }
    job.state = 'ERROR_THROWN';
    run.emit({ type: 'FINISH_JOB', jobKey, state: 'ERROR_THROWN', errorMessage });
    if (propagateToParent(run, errorCode, errorMessage, variables)) return;
    const detail = errorMessage ? `: ${errorMessage}` : '';
    run.openIncident(instance, {
      type: 'UNHANDLED_BPMN_ERROR',
      message: `BPMN error '${errorCode}' was thrown and no boundary event catches it${detail}`,
      retry: 'job',
      jobKey,
    });
  },

  COMPLETE_TASK(run, { taskId, variables }) {
    const instance = run.index.findElement((e) => e.taskId === taskId);
    if (!instance || instance.state !== 'ACTIVE') return reject('TASK_NOT_ACTIVE', `Task ${taskId} is not waiting in instance ${run.state.id}`).rejection;
    run.emit({ type: 'FINISH_TASK', taskId, state: 'COMPLETED' });
    run.audit('TASK_COMPLETED', instance, { taskId, variables, actor: run.ctx.actor.id });
    // The task is done even if an output-mapping incident now holds the
    // element: terminating it later must not report the task canceled.
    delete instance.taskId;
    run.complete(instance, { result: variables });
  },

  RESOLVE_INCIDENT(run, { incidentId }) {
    const incident = run.state.incidents[incidentId];
    if (!incident) return reject('INCIDENT_NOT_OPEN', `Incident ${incidentId} is not open on instance ${run.state.id}`).rejection;
    const instance = run.state.elements[incident.elementInstanceKey];
    run.resolveIncidentRecord(incidentId, `resolved by ${run.ctx.actor.id}`);
    if (!instance) return;
    if (incident.retry === 'activate') return run.runActivation(instance);
    if (incident.retry === 'complete') return run.complete(instance, { result: incident.pendingVariables });
    const job = incident.jobKey ? run.state.jobs[incident.jobKey] : undefined;
    if (!job) return;
    job.state = 'ACTIVATABLE';
    job.retries = Math.max(job.retries, 1);
    run.emit({ type: 'RETRY_JOB', jobKey: job.key, retries: job.retries, availableAt: run.ctx.now });
    run.audit('JOB_RETRIED', instance, { jobKey: job.key, retries: job.retries });
  },

  FIRE_TIMER(run, { timerId }) {
    const found = openWaitOf(run, timerId, 'timer');
    if ('code' in found) return found;
    takeWait(run, found.wait);
    found.trigger({});
  },

  CORRELATE_MESSAGE(run, { subscriptionId, messageKey, variables }) {
    const found = openWaitOf(run, subscriptionId, 'message');
    if ('code' in found) return found;
    const { wait } = found;
    // A non-interrupting boundary event's subscription stays open: every matching message starts a new path.
    if (wait.interrupting !== false) takeWait(run, wait, messageKey);
    auditCorrelation(run, wait, messageKey, variables);
    found.trigger(variables);
  },

  DELIVER_SIGNAL(run, { name, signalKey, variables }) {
    if (deliverSignal(run, name, signalKey, variables) === 0) {
      return reject('SUBSCRIPTION_NOT_OPEN', `Instance ${run.state.id} does not wait for signal '${name}'`).rejection;
    }
  },

  CHILD_COMPLETED(run, { elementInstanceKey, childInstanceId, variables }) {
    const instance = waitingCallActivity(run, elementInstanceKey, childInstanceId);
    if ('code' in instance) return instance;
    delete instance.childInstanceId;
    run.audit('CHILD_INSTANCE_COMPLETED', instance, { childInstanceId });
    const element = run.element(instance.elementId);
    // Output mappings read the child's variables either way; without them, only propagateAllChildVariables brings them back.
    const keep = element.kind === 'callActivity' && (element.propagateAllChildVariables || element.outputs.length > 0);
    run.complete(instance, { result: keep ? variables : {} });
  },

  CHILD_ERROR(run, { elementInstanceKey, childInstanceId, errorCode, errorMessage, variables }) {
    const instance = waitingCallActivity(run, elementInstanceKey, childInstanceId);
    if ('code' in instance) return instance;
    // The child has ended: nothing to cancel when the catcher ends the call activity.
    delete instance.childInstanceId;
    run.audit('JOB_ERROR_THROWN', instance, { childInstanceId, errorCode, errorMessage: errorMessage ?? null });
    throwOrOpenIncident(run, instance, errorCode, errorMessage, variables, `thrown in called instance ${childInstanceId}`);
  },

  CHILD_START_FAILED(run, { elementInstanceKey, childInstanceId, message }) {
    const instance = waitingCallActivity(run, elementInstanceKey, childInstanceId);
    if ('code' in instance) return instance;
    delete instance.childInstanceId;
    run.openIncident(instance, { type: 'CALLED_PROCESS_NOT_FOUND', message, retry: 'activate' });
  },

  DECISION_EVALUATED: decisionEvaluated,

  TRIGGER(run, { elementInstanceKey, variables }) {
    const instance = run.state.elements[elementInstanceKey];
    const element = instance ? run.element(instance.elementId) : undefined;
    const behaviour = instance ? run.behaviourFor(instance) : undefined;
    if (!instance || !element || instance.state !== 'ACTIVE' || !behaviour?.trigger || (element.kind === 'receiveTask' && element.message)) {
      return reject('ELEMENT_NOT_TRIGGERABLE', `Element instance ${elementInstanceKey} is not a wait state that can be triggered (a receive task without a message)`).rejection;
    }
    run.audit('ELEMENT_TRIGGERED', instance, { variables, actor: run.ctx.actor.id });
    behaviour.trigger(run, element, instance, variables);
  },

  CREATE_TOOL_JOB: createToolJob,

  CANCEL(run) {
    const root = run.state.elements[run.state.id];
    run.terminate(root);
    run.endInstance('CANCELED');
  },

  MODIFY: modify,
};

function activeJob(run: Run, jobKey: string) {
  const job = run.state.jobs[jobKey];
  if (!job) return reject('JOB_NOT_FOUND', `Job ${jobKey} is not open on instance ${run.state.id}`).rejection;
  if (job.state !== 'ACTIVATABLE' && job.state !== 'ACTIVATED') {
    return reject('JOB_NOT_ACTIVE', `Job ${jobKey} is ${job.state}; resolve its incident first`).rejection;
  }
  const instance = run.state.elements[job.elementInstanceKey];
  if (!instance || instance.state !== 'ACTIVE') return reject('JOB_NOT_ACTIVE', `The element of job ${jobKey} is no longer waiting`).rejection;
  return { job, instance };
}

/** The call activity instance `key`, if it still waits for child `childId`. */
function waitingCallActivity(run: Run, key: string, childId: string): ElementInstance | Rejection {
  const instance = run.state.elements[key];
  if (!instance || instance.state !== 'ACTIVE' || instance.childInstanceId !== childId) {
    return reject('ELEMENT_NOT_WAITING', `Element instance ${key} of instance ${run.state.id} is not waiting for child ${childId}`).rejection;
  }
  return instance;
}

/** The open wait `id` of `type`, with what happens when it fires (waits/dispatch.ts). */
function openWaitOf(run: Run, id: string, type: 'timer' | 'message') {
  const wait = run.state.waits?.[id];
  const code = type === 'timer' ? 'TIMER_NOT_ACTIVE' : 'SUBSCRIPTION_NOT_OPEN';
  if (!wait || wait.type !== type) return reject(code, `The ${type === 'timer' ? 'timer' : 'message subscription'} ${id} is not open on instance ${run.state.id}`).rejection;
  const trigger = waitTrigger(run, wait);
  if (!trigger) return reject(code, `The element waiting on ${id} is no longer active`).rejection;
  return { wait, trigger };
}

function reject(code: string, message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { code, message } };
}
