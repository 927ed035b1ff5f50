/**
 * What an agent run is doing now, for the live agent view (issue #12): read
 * from what is recorded, never from a flag a worker might leave behind.
 *
 * - An ended run says how it ended (its state is its job's, written by the
 *   engine: persistence/agent-run-states.ts).
 * - A waiting run says what it waits for: the worker writes it with the
 *   WAITING state, in the same UPDATE (`waiting_for`, `waiting_ref`).
 * - A running run is only doing something while a worker holds its job's
 *   lease (`jobs.deadline`). Then the journal says what: every model
 *   response and tool result is journaled before it is acted on, so after
 *   the prompt, a repair or the last tool result of a step the worker is
 *   calling the model; after a model step with tool calls, it is calling the
 *   first of them without a journaled result. No extra write on the hot path.
 *   A lease that ran out (a crashed worker) is said as such, with its time,
 *   never as "calling the model" for ever.
 *
 * Pure: the clock is passed in.
 */

export interface TailStep {
  kind: string;
  at: Date;
  /** A model step's tool calls. */
  toolCalls?: { id: string; name: string }[];
  /** The tool call a tool, tool-job, approval or activity step is for. */
  toolCallId?: string | null;
  /** A tool-job step's job type. */
  type?: string | null;
}

export interface ActivityInput {
  status: string;
  error: string | null;
  /** A REJECTED run's BPMN error code. */
  decision: string | null;
  updatedAt: Date;
  endedAt: Date | null;
  waitingFor?: string | null;
  waitingRef?: string | null;
  /** Since when it waits for the kill switch (kept across re-checks), for the waits the journal does not date. */
  waitingSince?: Date | null;
  /** The run's job as it is now (null: not found). */
  job: { state: string; deadline: Date | null; availableAt: Date; updatedAt?: Date; errorMessage?: string | null } | null;
  /** The job's journal from its last model step on (all of it when there is none), in step order. */
  tail: TailStep[];
  /** The open inbox task of the review instance a run waits for, if any. */
  reviewTaskId?: string | null;
}

export type ActivityKind =
  | 'starting'
  | 'calling-model'
  | 'calling-tool'
  | 'checking-output'
  | 'finishing'
  | 'waiting-for-person'
  | 'waiting-for-tool-job'
  | 'stopped-by-kill-switch'
  | 'waiting'
  | 'waiting-for-worker'
  | 'retrying'
  | 'lease-expired'
  | 'done'
  | 'rejected'
  | 'failed'
  | 'canceled'
  | 'unknown';

export interface Activity {
  kind: ActivityKind;
  /** In words, as the page shows it. */
  label: string;
  /** Since when (the journal step, the wait, the end, the lease's end). */
  since: Date;
  tool?: string;
  request?: 'approval' | 'review';
  reviewInstanceId?: string;
  reviewTaskId?: string;
  toolJobKey?: string;
  reason?: string;
  /** A `retrying` run: when its job is handed out again. */
  retryAt?: Date;
}

export function currentActivity(run: ActivityInput, now: Date): Activity {
  switch (run.status) {
    case 'COMPLETED':
      return { kind: 'done', label: 'done', since: run.endedAt ?? run.updatedAt };
    case 'FAILED':
      return { kind: 'failed', label: 'failed (incident open)', since: run.endedAt ?? run.updatedAt, ...(run.error ? { reason: run.error } : {}) };
    case 'REJECTED':
      return { kind: 'rejected', label: `rejected${run.decision ? ` (BPMN error ${run.decision})` : ''}`, since: run.endedAt ?? run.updatedAt, ...(run.error ? { reason: run.error } : {}) };
    case 'CANCELED':
      return { kind: 'canceled', label: 'canceled', since: run.endedAt ?? run.updatedAt };
    case 'WAITING':
      return waiting(run);
    case 'RUNNING':
      return running(run, now);
    default:
      return { kind: 'unknown', label: run.status.toLowerCase(), since: run.updatedAt };
  }
}

function waiting(run: ActivityInput): Activity {
  // Each wake re-checks a wait (the attempt makes the run RUNNING, then WAITING again), so updated_at is the last check:
  // a person's request and a tool job are dated by their journal step, the kill switch by when its wait began.
  const recorded = run.waitingSince ?? run.updatedAt;
  const last = run.tail.at(-1);
  if (run.waitingFor === 'decision') {
    const since = last?.kind === 'approval' || last?.kind === 'review' ? last.at : recorded;
    const request = last?.kind === 'approval' ? 'approval' : 'review';
    const tool = request === 'approval' ? toolName(run.tail, last?.toolCallId) : undefined;
    return {
      kind: 'waiting-for-person',
      label: request === 'approval' ? `waiting for a person (approval of ${tool ? `tool call ${tool}` : 'a tool call'})` : 'waiting for a person (review of the output)',
      since,
      request,
      ...(tool ? { tool } : {}),
      ...(run.waitingRef ? { reviewInstanceId: run.waitingRef } : {}),
      ...(run.reviewTaskId ? { reviewTaskId: run.reviewTaskId } : {}),
    };
  }
  if (run.waitingFor === 'tool') {
    const step = [...run.tail].reverse().find((s) => s.kind === 'tool-job');
    const tool = toolName(run.tail, step?.toolCallId);
    return { kind: 'waiting-for-tool-job', label: `waiting for the job of tool ${tool ?? step?.type ?? 'call'}`, since: step?.at ?? recorded, ...(tool ? { tool } : {}), ...(run.waitingRef ? { toolJobKey: run.waitingRef } : {}) };
  }
  if (run.waitingFor === 'switch') return { kind: 'stopped-by-kill-switch', label: 'stopped by the kill switch', since: recorded, ...(run.error ? { reason: run.error } : {}) };
  // A wait recorded before what it waits for was (migration 20261214000200): its reason is all there is.
  return { kind: 'waiting', label: 'waiting', since: recorded, ...(run.error ? { reason: run.error } : {}) };
}

function running(run: ActivityInput, now: Date): Activity {
  const job = run.job;
  if (!job) return { kind: 'unknown', label: 'its job is not found', since: run.updatedAt };
  if (job.state === 'ACTIVATABLE') {
    // An attempt that failed (a crash, a provider's passing error) left the job in its backoff: no worker may take it yet.
    if (job.availableAt.getTime() > now.getTime()) {
      return { kind: 'retrying', label: 'retrying after a failed attempt', since: job.updatedAt ?? run.updatedAt, retryAt: job.availableAt, ...(job.errorMessage ? { reason: job.errorMessage } : {}) };
    }
    return { kind: 'waiting-for-worker', label: 'waiting for a worker to take its job', since: job.availableAt };
  }
  if (job.state !== 'ACTIVATED') return { kind: 'unknown', label: `its job is ${job.state.toLowerCase()}`, since: run.updatedAt };
  if (!job.deadline || job.deadline.getTime() <= now.getTime()) {
    // The worker that held it stopped (a crash) or overran: nothing is known to be happening.
    const since = job.deadline ?? run.updatedAt;
    return { kind: 'lease-expired', label: 'no worker holds it (its lease ran out; it is handed out again)', since };
  }
  const last = run.tail.at(-1);
  if (!last) return { kind: 'starting', label: 'starting', since: run.updatedAt };
  const since = last.at;
  switch (last.kind) {
    case 'prompt':
    case 'repair':
    case 'turn':
      return callingModel(since);
    case 'model':
    case 'tool':
    case 'activity':
    case 'approval':
    case 'tool-job': {
      const model = run.tail.find((s) => s.kind === 'model');
      const answered = new Set(run.tail.filter((s) => s.kind === 'tool' || s.kind === 'activity').map((s) => s.toolCallId));
      const pending = (model?.toolCalls ?? []).find((c) => !answered.has(c.id));
      if (pending) return { kind: 'calling-tool', label: `calling tool ${pending.name}`, since, tool: pending.name };
      if (last.kind === 'model') return { kind: 'checking-output', label: 'checking the output', since };
      // Chosen activities go to the engine as the job's result; tool results go back to the model.
      if (run.tail.some((s) => s.kind === 'activity')) return { kind: 'finishing', label: 'finishing', since };
      return callingModel(since);
    }
    case 'review':
      return { kind: 'checking-output', label: 'checking the output', since };
    case 'decision':
      return { kind: 'finishing', label: 'finishing', since };
    default:
      return { kind: 'unknown', label: 'working', since };
  }
}

function callingModel(since: Date): Activity {
  return { kind: 'calling-model', label: 'calling the model', since };
}

function toolName(tail: TailStep[], toolCallId: string | null | undefined): string | undefined {
  if (!toolCallId) return undefined;
  for (const step of tail) {
    const call = step.toolCalls?.find((c) => c.id === toolCallId);
    if (call) return call.name;
  }
  return undefined;
}
