/**
 * The agent worker: a BullMQ worker on the `agent` queue (job types `agent`
 * and `agent:<name>`). The task header `agent` (or the `<name>` in the job
 * type) names the definition; the latest deployed version is used on a run's
 * first attempt and pinned for its retries.
 *
 * It is `createWorker` (engine/worker) with one difference: an agent run can
 * WAIT (for an approval, a review, or while its kill switch is off) without
 * using up a retry, so outcomes map to the job API here:
 *   complete → completeJob; wait → failJob with retries kept and a backoff;
 *   incident (limits, invalid output) → failJob with retries 0;
 *   bpmn-error (policy reject, review rejected) → throwJobError;
 *   a crash of the attempt itself → failJob with one retry less.
 */
import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import { jobQueueWorker } from '../../engine/worker/job-queue-worker.js';
import type { RedisClient } from '../../engine/queue/redis.js';
import type { Knex } from 'knex';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AGENT_QUEUE } from '../../engine/queue/routing.js';
import type { EngineApi } from '../../engine/service/types.js';
import { AgentRepository, type StoredDefinition } from './agent-repository.js';
import { AgentRunner, type AgentRunDeps, type RunOutcome, type ToolJobs } from './agent-run.js';
import { createChatModel, type ModelFactory } from './models.js';
import { defaultToolRegistry, type ToolRegistry } from './tool-registry.js';
import { HumanReview, REVIEW_DECIDED_JOB_TYPE } from './human-review.js';
import { createWorker } from '../../engine/worker/create-worker.js';
import { SpanKind, contextOf, inSpan } from '../../engine/observability/tracing/tracing.js';
import { conditionFieldProblems, type AgentDefinition } from './definition.js';
import { checkedModelConnection, reachProblems } from './definition-reach.js';
import { reachOf, type ServerReach } from '../../engine/connections/server-reach.js';
import { MissingCredentialError } from '../../engine/connections/env-references.js';
import { reportCrash, reportOutcome, type WaitingJobOutcome } from '../../engine/worker/waiting-job-outcome.js';
import { modelSetupGap, type ModelSetupGap } from './model-setup.js';
import { describeModelFailure, ModelCallError, type ModelFailure } from './model-failure.js';
import type { AgentJob } from './agent-run.js';

export interface AgentWorkerOptions {
  db: Knex;
  engine: Pick<EngineApi, 'activateJob' | 'completeJob' | 'failJob' | 'throwJobError' | 'deploy' | 'startInstance' | 'getInstance'> &
    ToolJobs & {
      /** Hands a job waiting out its backoff to the workers now (EngineService.wakeJob). */
      wakeJob(jobKey: string): Promise<boolean>;
      /** Where the live agent view hears of a run's journal (EngineService.noteChanged: the change feed); a journal step is no engine command. */
      noteChanged?(ids: string[]): void;
    };
  connection: RedisClient;
  prefix: string;
  /** Chat model per definition; default: the provider factory (models.ts). Tests pass scripted fake models. */
  model?: ModelFactory | ((definition: AgentDefinition) => BaseChatModel);
  /** The server's connections and inline settings (default: the built-in connections, nothing inline). */
  reach?: ServerReach;
  tools?: ToolRegistry;
  concurrency?: number;
  workerId?: string;
  /** How long the engine lets one attempt hold the job (default 5 minutes). */
  timeoutMs?: number;
  /** Backoff while an agent is switched off (default 5 s). */
  waitBackoffMs?: number;
  /**
   * Backoff while waiting for a person's decision or a tool call's job
   * (default 5 minutes): the decision (see human-review.ts) or the tool job's
   * end (runtime/tool-jobs.ts) wakes the job, so this is only the net for a
   * wake-up that was lost.
   */
  decisionWaitMs?: number;
  /** Backoff after a crashed attempt (default 2 s). */
  retryBackoffMs?: number;
  lockDurationMs?: number;
  onError?: (error: unknown) => void;
  /** Where each journaled model call is counted (the engine's metrics). */
  onModelCall?: AgentRunDeps['onModelCall'];
}

export interface AgentWorker {
  bullmq: Worker;
  close(force?: boolean): Promise<void>;
}

export function startAgentWorker(options: AgentWorkerOptions): AgentWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:agent`;
  const repo = new AgentRepository(options.db);
  const review = new HumanReview(options.engine);
  const factory = options.model ?? createChatModel;
  const reach = options.reach ?? reachOf({});
  const deps = {
    repo,
    review,
    reach,
    jobs: options.engine,
    tools: options.tools ?? defaultToolRegistry,
    model: (definition: AgentDefinition) => (factory as ModelFactory)(definition.model, definition.name, checkedModelConnection(definition.model, reach)),
    onModelCall: options.onModelCall,
    onRunChanged: (instanceId: string) => options.engine.noteChanged?.([instanceId]),
  };
  const actor = `worker:${workerId}`;

  const handle = async (message: Job<{ jobKey: string }>) => {
    const job = await options.engine.activateJob(message.data.jobKey, workerId, options.timeoutMs ?? 300_000);
    if (!job) return;
    let outcome: RunOutcome;
    let stored: Awaited<ReturnType<typeof definitionFor>> | undefined;
    try {
      stored = await definitionFor(repo, job.key, job.type, job.headers);
      // Connections and settings may have changed since the deploy checked them, and a definition stored
      // before a rule existed was never checked by it: both are checked again before anything runs.
      const problems = 'message' in stored ? [] : [...reachProblems(stored.definition, reach), ...conditionFieldProblems(stored.definition, stored.name)];
      // A worker given its own model factory (tests, an embedder) answers for its models; the providers' factory needs the connection's variables.
      const gap = 'message' in stored || problems.length > 0 || options.model ? null : modelSetupGap(stored.definition, reach);
      if ('message' in stored) outcome = { kind: 'incident', message: stored.message };
      else if (problems.length > 0) {
        outcome = { kind: 'incident', message: `Agent '${stored.name}' version ${stored.version} cannot run on this server: ${problems.map((p) => p.message).join('; ')}` };
      } else if (gap) {
        // Said before anything is sent: a provider's own error for a missing key, after a round of retries, tells an operator far less.
        outcome = await refuseUnconfigured(repo, job, stored, gap);
      } else {
        outcome = await AgentRunner.execute(deps, { key: job.key, processInstanceId: job.processInstanceId, elementId: job.elementId, variables: job.variables, headers: job.headers }, stored);
      }
    } catch (error) {
      if (error instanceof MissingCredentialError) {
        // Not worth a retry: nothing changes until an administrator sets the variable (then resolve the incident).
        await options.engine.failJob(job.key, { retries: 0, errorMessage: `Agent run failed: ${error.message}` }, actor);
        return;
      }
      const failure = error instanceof ModelCallError && stored && !('message' in stored) ? modelFailureOf(error, stored, reach) : null;
      if (failure && !failure.retry) {
        // A refused key or an unknown model stays so until the configuration changes: an incident now, not a round of retries.
        // The provider's own words go to the server log (scrubbed there) for whoever fixes it; the incident has the plain account.
        options.onError?.(error);
        await options.engine.failJob(job.key, { retries: 0, errorMessage: failure.message }, actor);
        return;
      }
      options.onError?.(error);
      await reportCrash(options.engine, job, job.retries, failure?.message ?? `Agent run failed: ${(error as Error).message}`, options.retryBackoffMs ?? 2000, actor);
      return;
    }
    await reportOutcome(options.engine, job, job.retries, toJobOutcome(outcome), actor, options.onError);
  };

  /** A wait's backoff, and how to tell that what it waits for has already happened. */
  const toJobOutcome = (outcome: RunOutcome): WaitingJobOutcome => {
    if (outcome.kind !== 'wait') return outcome;
    if (outcome.until === 'switch') return { kind: 'wait', reason: outcome.reason, backoffMs: options.waitBackoffMs ?? 5000 };
    const backoffMs = options.decisionWaitMs ?? 300_000;
    if (outcome.until === 'tool') {
      const { processInstanceId, toolJobKey } = outcome;
      return { kind: 'wait', reason: outcome.reason, backoffMs, wokenIf: async () => ((await options.engine.toolJobOutcome(processInstanceId, toolJobKey))?.state ?? 'PENDING') !== 'PENDING' };
    }
    const { reviewInstanceId } = outcome;
    return { kind: 'wait', reason: outcome.reason, backoffMs, wokenIf: reviewInstanceId ? async () => (await review.decision(reviewInstanceId)) !== null : undefined };
  };

  // Traced as every worker's job is (create-worker.ts): in the trace of the step that created it, when tracing is on.
  const traced = (message: Job<{ jobKey: string; traceparent?: string }>) =>
    inSpan('weft.job agent', { 'weft.job_type': 'agent', 'weft.job_key': message.data.jobKey }, () => handle(message), { kind: SpanKind.CONSUMER, parent: contextOf(message.data.traceparent) });

  const worker = jobQueueWorker(AGENT_QUEUE, traced, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 5,
    lockDurationMs: options.lockDurationMs,
    onError: options.onError,
  });

  // After a person decides, the review process's next job wakes the agent job that waits for it.
  const waker = createWorker(
    REVIEW_DECIDED_JOB_TYPE,
    async (job) => {
      const agentJobKey = job.variables.agentJobKey;
      if (typeof agentJobKey === 'string') await options.engine.wakeJob(agentJobKey);
    },
    { client: options.engine, connection: options.connection, prefix: options.prefix, workerId: `${workerId}:wake`, onError: options.onError },
  );
  return {
    bullmq: worker,
    close: async (force = false) => {
      await Promise.all([worker.close(force), waker.close()]);
    },
  };
}

/** The run's pinned definition on a retry; on a first attempt the latest version of the named agent. */
async function definitionFor(repo: AgentRepository, jobKey: string, type: string, headers: Record<string, string>): Promise<StoredDefinition | { message: string }> {
  const run = await repo.runByJob(jobKey);
  if (run) {
    const pinned = await repo.definitionByKey(run.definition_key);
    if (pinned) return pinned;
  }
  const name = headers.agent || (type.startsWith('agent:') ? type.slice('agent:'.length) : '');
  if (!name) return { message: `Agent task of type '${type}' names no agent: set the task header 'agent'` };
  const latest = await repo.latestDefinition(name);
  if (!latest) return { message: `No agent definition named '${name}' is deployed` };
  return latest;
}

/** A run whose model is not configured: recorded (the run, its error, the audit) and ended with an incident naming the setting. */
async function refuseUnconfigured(repo: AgentRepository, job: AgentJob, stored: StoredDefinition, gap: ModelSetupGap): Promise<RunOutcome> {
  const run = await repo.runFor(job, stored);
  await repo.updateRun(run.id, { error: gap.message });
  await repo.audit(job.processInstanceId, `agent:${stored.name}`, 'AGENT_RUN_FAILED', { runId: run.id, jobKey: job.key, message: gap.message, settings: gap.settings }, { elementId: job.elementId });
  return { kind: 'incident', message: gap.message };
}

/** A provider's failure in plain words, with the connection the run used. */
function modelFailureOf(error: ModelCallError, stored: StoredDefinition, reach: ServerReach): ModelFailure | null {
  const { name, connection } = checkedModelConnection(stored.definition.model, reach);
  return describeModelFailure(error.original, { agent: stored.name, model: stored.definition.model.model, connection: name, settings: connection });
}
