/**
 * An agent's tool calls as jobs (issue #10). A `worker`/`connector` tool call
 * becomes a job of the tool's type that belongs to the agent task's element,
 * so whichever worker serves that type (the SDK, a connector, a worker in
 * another language over the REST job API) can do it. Unlike the element's own
 * job it does not finish the element: its outcome is kept on its record for
 * the agent, whose job waits meanwhile (failed with its retries kept and a
 * backoff) and is handed out again as soon as the tool job ends.
 *
 * The records live until the agent's job ends (completed, caught error,
 * element left): the agent reads a tool job's outcome on the attempt after it
 * ended, journals it, and only then shows it to the model.
 */
import type { Command, ElementInstance, JobRecord, Rejection, ToolJobOutcome } from './types.js';
import type { Run } from './run.js';

type CreateToolJob = Extract<Command, { type: 'CREATE_TOOL_JOB' }>;

export function createToolJob(run: Run, command: CreateToolJob): Rejection | void {
  const parent = run.state.jobs[command.parentJobKey];
  if (!parent) return { code: 'JOB_NOT_FOUND', message: `Job ${command.parentJobKey} is not open on instance ${run.state.id}` };
  if (parent.toolCall) return { code: 'JOB_NOT_ACTIVE', message: `Job ${command.parentJobKey} is itself a tool call; only an agent's job can ask for tool jobs` };
  // Asked again (a retried attempt that had not yet journaled the key): the job exists, nothing to do.
  if (parent.toolJobs?.[command.toolCallId] || run.state.jobs[command.toolJobKey]) return;
  if (parent.state !== 'ACTIVATABLE' && parent.state !== 'ACTIVATED') return { code: 'JOB_NOT_ACTIVE', message: `Job ${parent.key} is ${parent.state}` };
  const instance = run.state.elements[parent.elementInstanceKey];
  if (!instance || instance.state !== 'ACTIVE') return { code: 'JOB_NOT_ACTIVE', message: `The element of job ${parent.key} is no longer waiting` };

  const key = command.toolJobKey;
  parent.toolJobs = { ...parent.toolJobs, [command.toolCallId]: key };
  run.state.jobs[key] = {
    key,
    type: command.jobType,
    elementInstanceKey: instance.key,
    elementId: instance.elementId,
    retries: command.retries,
    state: 'ACTIVATABLE',
    toolCall: { parentJobKey: parent.key, toolCallId: command.toolCallId },
  };
  run.emit({
    type: 'CREATE_JOB',
    job: { key, type: command.jobType, elementId: instance.elementId, elementInstanceKey: instance.key, retries: command.retries, headers: command.headers, variables: command.variables },
  });
  run.audit('JOB_CREATED', instance, { jobKey: key, jobType: command.jobType, retries: command.retries, agentJobKey: parent.key, toolCallId: command.toolCallId });
}

/** A tool job ended: its outcome is kept for the agent, whose waiting job is handed out again now. */
export function finishToolJob(run: Run, job: JobRecord, instance: ElementInstance, outcome: ToolJobOutcome): void {
  job.state = outcome.state;
  job.outcome = outcome;
  const errorMessage = outcome.state === 'COMPLETED' ? undefined : outcome.errorMessage;
  run.emit({ type: 'FINISH_JOB', jobKey: job.key, state: outcome.state, errorMessage, ...(outcome.state === 'FAILED' ? { retries: 0 } : {}) });
  const audit = { jobKey: job.key, jobType: job.type, agentJobKey: job.toolCall!.parentJobKey, toolCallId: job.toolCall!.toolCallId, actor: run.ctx.actor.id };
  // (A failure was audited by FAIL_JOB already, as every job's is.)
  if (outcome.state === 'COMPLETED') run.audit('JOB_COMPLETED', instance, { ...audit, variables: outcome.variables });
  if (outcome.state === 'ERROR_THROWN') run.audit('JOB_ERROR_THROWN', instance, { ...audit, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage ?? null });

  const parent = run.state.jobs[job.toolCall!.parentJobKey];
  // An agent attempt still holding its job finds the outcome itself when it records its wait (agent-worker.ts).
  if (parent && parent.state === 'ACTIVATABLE') {
    run.emit({ type: 'RETRY_JOB', jobKey: parent.key, retries: parent.retries, availableAt: run.ctx.now });
  }
}

/** The agent's job ended: its tool jobs go with it (open ones are canceled, so no worker starts them any more). */
export function dropToolJobs(run: Run, parent: JobRecord): void {
  for (const key of Object.values(parent.toolJobs ?? {})) {
    const job = run.state.jobs[key];
    if (!job) continue;
    if (job.state === 'ACTIVATABLE' || job.state === 'ACTIVATED') {
      run.emit({ type: 'FINISH_JOB', jobKey: key, state: 'CANCELED' });
      const instance = run.state.elements[job.elementInstanceKey];
      if (instance) run.audit('JOB_CANCELED', instance, { jobKey: key, agentJobKey: parent.key, toolCallId: job.toolCall?.toolCallId });
    }
    delete run.state.jobs[key];
  }
}
