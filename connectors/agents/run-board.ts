/**
 * The runs across all instances for the live agent view (GET /api/agent-runs
 * without an instance, issue #12): each with its instance and process, what
 * it is doing now (run-activity.ts), its usage from the journal and the
 * limits of its definition with how much of each is used.
 *
 * A page is a handful of queries whatever its length: the runs with their
 * job and process (one join), the journal's sums per run, the journal tails
 * of the runs in flight, their definitions' limits, and the open review tasks.
 */
import type { Knex } from 'knex';
import { currentActivity, type Activity, type TailStep } from './run-activity.js';
import type { AgentDefinition } from './definition.js';
import { EARLIER_TURNS } from './earlier-turns.js';

export const RUN_STATES = ['in-flight', 'ended', 'all', 'RUNNING', 'WAITING', 'COMPLETED', 'FAILED', 'REJECTED', 'CANCELED'] as const;
export type RunStateFilter = (typeof RUN_STATES)[number];

export interface RunBoardQuery {
  state: RunStateFilter;
  agent?: string;
  processInstanceId?: string;
  limit: number;
  offset: number;
}

export interface Usage {
  modelCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Model and tool latency: what `wallTimeMs` counts (time waiting for people is not work). */
  workMs: number;
}

export interface LimitUse {
  name: 'maxModelCalls' | 'maxTokens' | 'maxCostUsd' | 'wallTimeMs';
  limit: number;
  used: number;
}

export interface BoardRun {
  id: string;
  jobKey: string;
  processInstanceId: string;
  processId: string;
  processName: string | null;
  elementId: string;
  agent: string;
  version: number;
  status: string;
  attempt: number;
  error: string | null;
  startedAt: Date;
  endedAt: Date | null;
  activity: Activity;
  /** This run's own (its job's journal). */
  usage: Usage;
  /** What governance counts: for a turn of an ad-hoc sub-process, with the earlier turns'. */
  limits: LimitUse[];
}

/**
 * `now` is the database's clock, read with the runs: the lease it is compared with (`jobs.deadline`) is written
 * with Postgres `now()`, so an engine whose clock is ahead or behind would call a held lease ran out, or the reverse.
 */
export async function listRuns(db: Knex, query: RunBoardQuery): Promise<{ items: BoardRun[]; total: number }> {
  const base = db('agent_runs as r').modify((q) => {
    if (query.state === 'in-flight') q.whereNull('r.ended_at');
    else if (query.state === 'ended') q.whereNotNull('r.ended_at');
    else if (query.state !== 'all') q.where('r.status', query.state);
    if (query.agent) q.where('r.agent_name', query.agent);
    if (query.processInstanceId) q.where('r.process_instance_id', query.processInstanceId);
  });
  const [{ count }] = await base.clone().count<{ count: string }[]>({ count: '*' });
  const rows: any[] = await base
    .clone()
    .leftJoin('jobs as j', 'j.key', 'r.job_key')
    .leftJoin('process_instances as i', 'i.id', 'r.process_instance_id')
    .leftJoin('process_definitions as d', 'd.key', 'i.definition_key')
    .select('r.*', 'j.state as job_state', 'j.deadline as job_deadline', 'j.available_at as job_available_at', 'j.updated_at as job_updated_at', 'j.error_message as job_error', 'i.process_id', 'd.name as process_name', db.raw('now() AS db_now'))
    // An instance's runs in the order they started; the board newest first.
    .orderBy([{ column: 'r.started_at', order: query.processInstanceId ? 'asc' : 'desc' }, { column: 'r.id' }])
    .limit(query.limit)
    .offset(query.offset);
  if (rows.length === 0) return { items: [], total: Number(count) };
  const now: Date = rows[0].db_now;

  const jobKeys = rows.map((r) => r.job_key);
  const [usage, earlier, tails, limits, tasks] = await Promise.all([
    usageOf(db, jobKeys),
    earlierTurnsOf(db, jobKeys),
    tailsOf(db, rows.filter((r) => !r.ended_at).map((r) => r.job_key)),
    limitsOf(db, [...new Set(rows.map((r) => r.definition_key as string))]),
    reviewTasksOf(db, rows.filter((r) => r.status === 'WAITING' && r.waiting_for === 'decision' && r.waiting_ref).map((r) => r.waiting_ref)),
  ]);

  const items = rows.map((r): BoardRun => {
    const used = usage.get(r.job_key) ?? emptyUsage();
    return {
      id: r.id,
      jobKey: r.job_key,
      processInstanceId: r.process_instance_id,
      processId: r.process_id,
      processName: r.process_name ?? null,
      elementId: r.element_id,
      agent: r.agent_name,
      version: r.agent_version,
      status: r.status,
      attempt: r.attempt,
      error: r.error,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      activity: currentActivity(
        {
          status: r.status,
          error: r.error,
          decision: r.decision,
          updatedAt: r.updated_at,
          endedAt: r.ended_at,
          waitingFor: r.waiting_for,
          waitingRef: r.waiting_ref,
          waitingSince: r.waiting_since,
          job: r.job_state ? { state: r.job_state, deadline: r.job_deadline, availableAt: r.job_available_at, updatedAt: r.job_updated_at, errorMessage: r.job_error } : null,
          tail: tails.get(r.job_key) ?? [],
          reviewTaskId: r.waiting_ref ? tasks.get(r.waiting_ref) : undefined,
        },
        now,
      ),
      usage: used,
      limits: limitUse(limits.get(r.definition_key), plus(used, earlier.get(r.job_key))),
    };
  });
  return { items, total: Number(count) };
}

function emptyUsage(): Usage {
  return { modelCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0, workMs: 0 };
}

/** The journal's sums of each job's own steps, as the runner counts them (agent-run.ts). */
async function usageOf(db: Knex, jobKeys: string[]): Promise<Map<string, Usage>> {
  const { rows } = await db.raw(`SELECT s.job_key AS for_job, ${SUMS} FROM agent_run_steps s WHERE s.job_key = ANY(?::uuid[]) GROUP BY s.job_key`, [jobKeys]);
  return usageRows(rows);
}

/**
 * A later turn of an ad-hoc sub-process continues the earlier turns'
 * conversation, and its limits count across them (agent-run.ts replays the
 * history): the sums of the earlier turns' jobs, per later job.
 */
async function earlierTurnsOf(db: Knex, jobKeys: string[]): Promise<Map<string, Usage>> {
  const { rows } = await db.raw(`WITH earlier AS (${EARLIER_TURNS}) SELECT e.for_job, ${SUMS} FROM earlier e JOIN agent_run_steps s ON s.job_key = e.earlier_job GROUP BY e.for_job`, [jobKeys]);
  return usageRows(rows);
}

const SUMS = `count(*) FILTER (WHERE s.kind = 'model')::int AS model_calls,
  count(*) FILTER (WHERE s.kind = 'tool')::int AS tool_calls,
  coalesce(sum((s.payload->'usage'->>'input')::bigint) FILTER (WHERE s.kind = 'model'), 0)::bigint AS input_tokens,
  coalesce(sum((s.payload->'usage'->>'output')::bigint) FILTER (WHERE s.kind = 'model'), 0)::bigint AS output_tokens,
  coalesce(sum((s.payload->>'costUsd')::float8) FILTER (WHERE s.kind = 'model'), 0)::float8 AS cost_usd,
  coalesce(sum((s.payload->>'latencyMs')::float8) FILTER (WHERE s.kind IN ('model', 'tool')), 0)::float8 AS work_ms`;

function usageRows(rows: any[]): Map<string, Usage> {
  return new Map(
    rows.map((r) => {
      const input = Number(r.input_tokens);
      const output = Number(r.output_tokens);
      return [r.for_job, { modelCalls: r.model_calls, toolCalls: r.tool_calls, inputTokens: input, outputTokens: output, totalTokens: input + output, costUsd: Number(r.cost_usd), workMs: Number(r.work_ms) }];
    }),
  );
}

function plus(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  return {
    modelCalls: a.modelCalls + b.modelCalls,
    toolCalls: a.toolCalls + b.toolCalls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    costUsd: a.costUsd + b.costUsd,
    workMs: a.workMs + b.workMs,
  };
}

/** Each job's journal from its last model step on, without the large parts of the payloads. */
async function tailsOf(db: Knex, jobKeys: string[]): Promise<Map<string, TailStep[]>> {
  const tails = new Map<string, TailStep[]>();
  if (jobKeys.length === 0) return tails;
  const { rows } = await db.raw(
    // Each job's last model step found once (GROUP BY), not once per journal row.
    `WITH jobs AS (SELECT unnest(?::uuid[]) AS job_key),
          last_model AS (SELECT m.job_key, max(m.step) AS step FROM agent_run_steps m WHERE m.job_key = ANY(?::uuid[]) AND m.kind = 'model' GROUP BY m.job_key)
     SELECT s.job_key, s.step, s.kind, s.at,
            CASE WHEN s.kind = 'model' THEN s.payload->'toolCalls' END AS tool_calls,
            s.payload->>'toolCallId' AS tool_call_id, s.payload->>'type' AS type
       FROM jobs j
       LEFT JOIN last_model l ON l.job_key = j.job_key
       JOIN agent_run_steps s ON s.job_key = j.job_key AND s.step >= coalesce(l.step, 0)
      ORDER BY s.job_key, s.step`,
    [jobKeys, jobKeys],
  );
  for (const r of rows) {
    const list = tails.get(r.job_key) ?? [];
    list.push({ kind: r.kind, at: r.at, toolCallId: r.tool_call_id, type: r.type, ...(r.tool_calls ? { toolCalls: (r.tool_calls as { id: string; name: string }[]).map((c) => ({ id: c.id, name: c.name })) } : {}) });
    tails.set(r.job_key, list);
  }
  return tails;
}

async function limitsOf(db: Knex, keys: string[]): Promise<Map<string, AgentDefinition['limits']>> {
  const rows: any[] = await db('agent_definitions').whereIn('key', keys).select('key', db.raw("definition->'limits' AS limits"));
  // Stored parsed (definition.ts): limits and maxModelCalls always have their defaults.
  return new Map(rows.map((r) => [r.key, r.limits]));
}

/** The open inbox task of each review instance (open: CREATED, as the inbox lists them; the others are COMPLETED and CANCELED). */
async function reviewTasksOf(db: Knex, reviewInstanceIds: string[]): Promise<Map<string, string>> {
  if (reviewInstanceIds.length === 0) return new Map();
  const rows: any[] = await db('tasks').whereIn('process_instance_id', reviewInstanceIds).where({ state: 'CREATED' }).select('id', 'process_instance_id');
  return new Map(rows.map((r) => [r.process_instance_id, r.id]));
}

/** The limits governance enforces (agent-run.ts checkLimits and the model-call count), each with how much is used. */
export function limitUse(limits: AgentDefinition['limits'] | undefined, used: Usage): LimitUse[] {
  if (!limits) return [];
  const out: LimitUse[] = [{ name: 'maxModelCalls', limit: limits.maxModelCalls, used: used.modelCalls }];
  if (limits.maxTokens !== undefined) out.push({ name: 'maxTokens', limit: limits.maxTokens, used: used.totalTokens });
  if (limits.maxCostUsd !== undefined) out.push({ name: 'maxCostUsd', limit: limits.maxCostUsd, used: used.costUsd });
  if (limits.wallTimeMs !== undefined) out.push({ name: 'wallTimeMs', limit: limits.wallTimeMs, used: used.workMs });
  return out;
}
