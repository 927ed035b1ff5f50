/**
 * Postgres for agents: definitions (versioned like processes), runs, the run
 * journal (agent_run_steps) and the kill switches. Agent audit rows go to the
 * engine's append-only `audit` table with the instance id, so
 * GET /api/process-instances/:id/audit shows them beside the engine's own.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AgentDefinition } from './definition.js';
import { EARLIER_TURNS } from './earlier-turns.js';
import { redact, scrubStrings, scrubText } from '../../engine/security/redaction.js';

export interface StoredDefinition {
  key: string;
  name: string;
  version: number;
  definition: AgentDefinition;
}

export interface RunRow {
  id: string;
  job_key: string;
  process_instance_id: string;
  element_id: string;
  agent_name: string;
  agent_version: number;
  definition_key: string;
  status: string;
  /** 1, then one more each time its job is handed out again after the run ended (resolve and retry). */
  attempt: number;
  output: unknown;
  decision: string | null;
  error: string | null;
  started_at: Date;
  updated_at: Date;
  ended_at: Date | null;
  /** While WAITING: `decision` (a person), `tool` (a tool call's job) or `switch` (a kill switch); see migration 20261214000200. */
  waiting_for?: string | null;
  /** While WAITING: the review instance or the tool job waited for. */
  waiting_ref?: string | null;
  /** While WAITING: since when (kept across the re-checks of one wait; migration 20261214000600). */
  waiting_since?: Date | null;
}

/** What a run waits for, written with its WAITING state. */
export interface RunWait {
  until: 'decision' | 'tool' | 'switch';
  ref?: string;
  /** The wait goes on from the attempt before (the same wait, re-checked): its `waiting_since` is kept. */
  continued?: boolean;
}

export interface StepRow {
  job_key: string;
  step: number;
  run_id: string;
  kind: string;
  payload: any;
  at: Date;
}

export const GLOBAL_SWITCH = '*';

export function checksum(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class AgentRepository {
  constructor(private readonly db: Knex) {}

  // ------------------------------------------------------------ definitions

  /** Identical content to the latest version reuses it; anything else is version latest+1. */
  async storeDefinition(trx: Knex.Transaction, definition: AgentDefinition, resourceName: string, content: string, deploymentId: string, actor: string) {
    const sum = checksum(JSON.stringify(definition));
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`weft.agent:${definition.name}`]);
    const latest = await trx('agent_definitions').where({ name: definition.name }).orderBy('version', 'desc').first('key', 'version', 'checksum');
    if (latest && latest.checksum === sum) return { key: latest.key as string, name: definition.name, version: latest.version as number };
    const row = { key: randomUUID(), name: definition.name, version: (latest?.version ?? 0) + 1 };
    void content;
    await trx('agent_definitions').insert({ ...row, checksum: sum, resource_name: resourceName, deployment_id: deploymentId, definition: JSON.stringify(definition), deployed_by: actor });
    return row;
  }

  async latestDefinition(name: string): Promise<StoredDefinition | null> {
    const row = await this.db('agent_definitions').where({ name }).orderBy('version', 'desc').first();
    return row ? { key: row.key, name: row.name, version: row.version, definition: row.definition } : null;
  }

  async definitionByKey(key: string): Promise<StoredDefinition | null> {
    const row = await this.db('agent_definitions').where({ key }).first();
    return row ? { key: row.key, name: row.name, version: row.version, definition: row.definition } : null;
  }

  async listDefinitions() {
    return this.db('agent_definitions').select('key', 'name', 'version', 'resource_name', 'deployment_id', 'created_at').orderBy([{ column: 'name' }, { column: 'version', order: 'desc' }]);
  }

  // ------------------------------------------------------------ runs and the journal

  /** The run of a job: created on its first attempt, found again on every retry. */
  async runFor(job: { key: string; processInstanceId: string; elementId: string }, definition: StoredDefinition): Promise<RunRow> {
    await this.db('agent_runs')
      .insert({
        id: randomUUID(),
        job_key: job.key,
        process_instance_id: job.processInstanceId,
        element_id: job.elementId,
        agent_name: definition.name,
        agent_version: definition.version,
        definition_key: definition.key,
        status: 'RUNNING',
      })
      .onConflict('job_key')
      .ignore();
    const run: RunRow = await this.db('agent_runs').where({ job_key: job.key }).first();
    // The attempt holds the job: a run that waited is running again (the row as it was is returned, so a wait for the same reason is audited once).
    if (run.status === 'WAITING') await this.db('agent_runs').where({ id: run.id, status: 'WAITING' }).whereNull('ended_at').update({ status: 'RUNNING', waiting_for: null, waiting_ref: null, updated_at: this.db.fn.now() });
    return run;
  }

  async runByJob(jobKey: string): Promise<RunRow | undefined> {
    return this.db('agent_runs').where({ job_key: jobKey }).first();
  }

  async run(id: string): Promise<RunRow | undefined> {
    return this.db('agent_runs').where({ id }).first();
  }

  /**
   * What an attempt produced; `status` only for a wait (the engine writes the ends: persistence/agent-run-states.ts),
   * with what it waits for (`wait`) in the same statement, so the live view never shows a wait without its reason.
   */
  async updateRun(id: string, patch: { status?: 'WAITING'; wait?: RunWait; output?: unknown; decision?: string; error?: string }) {
    await this.db('agent_runs')
      .where({ id })
      // A wait never reopens a run its job's end already closed (canceled meanwhile).
      .modify((q) => (patch.status ? q.whereNull('ended_at') : q))
      .update({
        ...(patch.status !== undefined
          ? {
              status: patch.status,
              waiting_for: patch.wait?.until ?? null,
              waiting_ref: patch.wait?.ref ?? null,
              // runFor leaves waiting_since as it was, so a re-checked wait keeps the time it began.
              waiting_since: patch.wait?.continued ? this.db.raw('coalesce(waiting_since, now())') : this.db.fn.now(),
            }
          : {}),
        ...(patch.output !== undefined ? { output: JSON.stringify(scrubStrings(patch.output)) } : {}),
        ...(patch.decision !== undefined ? { decision: patch.decision } : {}),
        ...(patch.error !== undefined ? { error: scrubText(patch.error) } : {}),
        updated_at: this.db.fn.now(),
      });
  }

  /**
   * The run that asked a person for the review or approval held by review
   * instance `reviewInstanceId`, read from the run's journal (job `jobKey`),
   * with the variables its job works on; null when that job asked no such thing.
   */
  async requestOf(jobKey: string, reviewInstanceId: string): Promise<{ kind: 'review' | 'approval'; run: RunRow; jobVariables: Record<string, unknown> } | null> {
    const step = await this.db('agent_run_steps')
      .where({ job_key: jobKey })
      .whereIn('kind', ['review', 'approval'])
      .whereRaw(`payload->>'reviewInstanceId' = ?`, [reviewInstanceId])
      .first('kind', 'run_id');
    if (!step) return null;
    const run = await this.run(step.run_id);
    const job = await this.db('jobs').where({ key: jobKey }).first('variables');
    return run && job ? { kind: step.kind, run, jobVariables: job.variables } : null;
  }

  async steps(jobKey: string): Promise<StepRow[]> {
    return this.db('agent_run_steps').where({ job_key: jobKey }).orderBy('step');
  }

  /**
   * Journals one step. The primary key (job key, step) makes a second writer
   * of the same step fail instead of forking the journal.
   */
  async appendStep(run: RunRow, step: number, kind: string, payload: unknown): Promise<void> {
    await this.db('agent_run_steps').insert({ job_key: run.job_key, step, run_id: run.id, kind, payload: JSON.stringify(payload) });
  }

  /**
   * The journals of the earlier turns of job `jobKey` (a turn of an ad-hoc sub-process, its `turn` marker
   * journaled), in turn order (earlier-turns.ts: the rule the live agent view counts by too).
   */
  async adHocHistory(jobKey: string): Promise<StepRow[]> {
    const { rows } = await this.db.raw(`SELECT s.* FROM (${EARLIER_TURNS}) e JOIN agent_run_steps s ON s.job_key = e.earlier_job ORDER BY e.turn, s.step`, [[jobKey]]);
    return rows;
  }

  // ------------------------------------------------------------ kill switches

  async switches(): Promise<Record<string, boolean>> {
    const rows = await this.db('agent_switches').select('scope', 'disabled');
    return Object.fromEntries(rows.map((r) => [r.scope, r.disabled]));
  }

  /** Why `name` may not run now, or null. */
  async disabledReason(name: string): Promise<string | null> {
    const rows = await this.db('agent_switches').whereIn('scope', [name, GLOBAL_SWITCH]).andWhere({ disabled: true }).select('scope');
    if (rows.some((r) => r.scope === GLOBAL_SWITCH)) return 'all agents are disabled (global kill switch)';
    if (rows.length > 0) return `agent '${name}' is disabled`;
    return null;
  }

  async setSwitch(scope: string, disabled: boolean, actor: string): Promise<void> {
    await this.db('agent_switches')
      .insert({ scope, disabled, changed_by: actor, changed_at: this.db.fn.now() })
      .onConflict('scope')
      .merge();
    await this.audit(null, actor, disabled ? 'AGENT_DISABLED' : 'AGENT_ENABLED', { scope: scope === GLOBAL_SWITCH ? 'all' : scope });
  }

  // ------------------------------------------------------------ audit

  /** Agent audit rows, redacted by key and value (tool arguments, prompts and errors may hold secrets). */
  async audit(processInstanceId: string | null, actor: string, type: string, payload: Record<string, unknown>, where: { elementId?: string } = {}): Promise<void> {
    await this.db('audit').insert({
      process_instance_id: processInstanceId,
      actor,
      type,
      element_id: where.elementId ?? null,
      payload: JSON.stringify(redact(payload)),
    });
  }
}
