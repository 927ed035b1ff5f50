/**
 * One attempt of an `a2a` job: send the task to the remote agent unless this
 * job already did (a2a_remote_tasks), then follow the remote task for a
 * while, and say what the job should do: complete, wait (fail with retries
 * kept and a backoff: the next attempt polls again), an incident, or the
 * BPMN error `A2A_TASK_FAILED`.
 *
 * The job key is the idempotency key: it is the A2A message id, and the
 * row keyed by it is written before the message leaves and again, with the
 * remote task id, before the job waits. Only a crash between the remote
 * agent's answer and that second write resends, with the same message id.
 */
import { SendMessageRequest, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import type { ActivatedJob } from '../../engine/service/types.js';
import type { Variables } from '../../engine/runtime/types.js';
import type { A2aInputs } from './a2a-inputs.js';
import { messageResult, statusText, taskResult } from './a2a-result.js';
import { RemoteTaskRepository, type RemoteTaskRow } from './remote-task-repository.js';
import { INTERRUPTED, TERMINAL, stateName } from './task-states.js';

export const A2A_TASK_FAILED = 'A2A_TASK_FAILED';

export type ExchangeOutcome =
  | { kind: 'complete'; variables: Variables }
  | { kind: 'wait'; reason: string; backoffMs: number }
  | { kind: 'incident'; message: string }
  | { kind: 'bpmn-error'; errorCode: string; message: string; variables: Variables };

export interface ExchangeContext {
  job: ActivatedJob;
  inputs: A2aInputs;
  client: Client;
  repo: RemoteTaskRepository;
  /** How long this attempt follows the remote task before it hands the job back to wait. */
  followForMs: number;
}

export async function runExchange(ctx: ExchangeContext): Promise<ExchangeOutcome> {
  const { job, inputs, client, repo } = ctx;
  const actor = `a2a:${inputs.connection}`;
  const where = { actor, elementId: job.elementId };
  let row = await repo.get(job.key);
  let task: Task;
  if (!row?.remote_task_id) {
    await repo.markSending(job.key, inputs.connection, job.processInstanceId);
    const resend = row?.state === 'SENDING';
    const sent = await client.sendMessage(SendMessageRequest.fromJSON({ message: outgoingMessage(job.key, inputs), configuration: { returnImmediately: true } }));
    if (!('status' in sent)) {
      // A direct answer, no task to follow.
      const result = messageResult(sent);
      await repo.recordSent({ job_key: job.key, connection: inputs.connection, process_instance_id: job.processInstanceId, remote_task_id: `message:${sent.messageId}`, context_id: sent.contextId || null, state: 'completed' }, { ...where, payload: { connection: inputs.connection, messageId: job.key, answer: 'message', resend } });
      return { kind: 'complete', variables: { [inputs.resultVariable]: result } };
    }
    task = sent;
    row = { job_key: job.key, connection: inputs.connection, process_instance_id: job.processInstanceId, remote_task_id: task.id, context_id: task.contextId || null, state: stateName(task.status?.state) };
    await repo.recordSent(row, { ...where, payload: { connection: inputs.connection, remoteTaskId: task.id, contextId: task.contextId, state: row.state, messageId: job.key, resend } });
  } else {
    if (row.remote_task_id.startsWith('message:')) return { kind: 'incident', message: `a2a task: the remote agent answered with a message earlier, but the job was not completed; resolve the incident after checking ${row.remote_task_id}` };
    task = await client.getTask({ id: row.remote_task_id, tenant: '' });
  }

  const followUntil = Date.now() + ctx.followForMs;
  for (;;) {
    const state = stateName(task.status?.state);
    if (state !== row.state) {
      const type = state === 'completed' ? 'A2A_TASK_COMPLETED' : TERMINAL.has(state) ? 'A2A_TASK_FAILED' : INTERRUPTED.has(state) ? 'A2A_TASK_INPUT_REQUIRED' : 'A2A_TASK_UPDATED';
      const payload: Record<string, unknown> = { connection: inputs.connection, remoteTaskId: task.id, from: row.state, state };
      if (TERMINAL.has(state) || INTERRUPTED.has(state)) payload.result = taskResult(task);
      await repo.recordState(row, state, type, { ...where, payload });
      row = { ...row, state };
    }
    const done = outcomeOf(task, inputs, row);
    if (done) return done;
    if (Date.now() + inputs.pollIntervalMs > followUntil) {
      return { kind: 'wait', reason: `remote task ${task.id} on '${inputs.connection}' is ${state}`, backoffMs: inputs.pollIntervalMs };
    }
    await new Promise((resolve) => setTimeout(resolve, inputs.pollIntervalMs));
    task = await client.getTask({ id: task.id, tenant: '' });
  }
}

function outcomeOf(task: Task, inputs: A2aInputs, row: RemoteTaskRow): ExchangeOutcome | null {
  const state = stateName(task.status?.state);
  const result = taskResult(task);
  if (state === 'completed') return { kind: 'complete', variables: { [inputs.resultVariable]: result } };
  if (TERMINAL.has(state)) {
    const why = statusText(task);
    return { kind: 'bpmn-error', errorCode: A2A_TASK_FAILED, message: `remote task ${task.id} on '${inputs.connection}' ended ${state}${why ? `: ${why}` : ''}`, variables: { [inputs.resultVariable]: result } };
  }
  if (INTERRUPTED.has(state)) {
    // An incident rather than a person's task: what the remote agent needs is between it and its operator;
    // resolving the incident looks again.
    const why = statusText(task);
    return { kind: 'incident', message: `remote task ${row.remote_task_id} on '${inputs.connection}' is ${state}${why ? `: ${why}` : ''}; provide it on the remote agent's side, then resolve this incident` };
  }
  return null;
}

/** The message: the text, and the data as a second part. Its id is the job key, the same on every resend. */
function outgoingMessage(jobKey: string, inputs: A2aInputs): unknown {
  const parts: unknown[] = [{ text: inputs.message, mediaType: 'text/plain' }];
  if (inputs.data) parts.push({ data: inputs.data, mediaType: 'application/json' });
  return { messageId: jobKey, role: 'ROLE_USER', parts };
}
