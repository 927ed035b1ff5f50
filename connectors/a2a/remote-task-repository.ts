/**
 * Postgres for the outbound connector: the remote task each `a2a` job sent
 * (its own state while it waits), the kill switch per connection, and the
 * exchange's audit rows in the engine's append-only `audit` table, beside
 * the instance's own events (GET /api/process-instances/:id/audit).
 */
import type { Knex } from 'knex';
import { redact } from '../../engine/security/redaction.js';

export interface RemoteTaskRow {
  job_key: string;
  connection: string;
  process_instance_id: string;
  remote_task_id: string | null;
  context_id: string | null;
  state: string;
  review_instance_id?: string | null;
}

export type A2aAuditType = 'A2A_TASK_SENT' | 'A2A_TASK_UPDATED' | 'A2A_TASK_COMPLETED' | 'A2A_TASK_FAILED' | 'A2A_TASK_INPUT_REQUIRED' | 'A2A_CONNECTION_DISABLED' | 'A2A_CONNECTION_ENABLED';

export class RemoteTaskRepository {
  constructor(readonly db: Knex) {}

  async get(jobKey: string): Promise<RemoteTaskRow | undefined> {
    return this.db('a2a_remote_tasks').where({ job_key: jobKey }).first();
  }

  /** Before the message leaves: a row that says it may be on its way (a retry then resends it with the same message id). */
  async markSending(jobKey: string, connection: string, processInstanceId: string): Promise<void> {
    await this.db('a2a_remote_tasks').insert({ job_key: jobKey, connection, process_instance_id: processInstanceId, state: 'SENDING' }).onConflict('job_key').merge({ state: 'SENDING' });
  }

  /** The job waits for a person's approval before anything is sent. */
  async recordApprovalRequested(jobKey: string, connection: string, processInstanceId: string, reviewInstanceId: string): Promise<void> {
    await this.db('a2a_remote_tasks').insert({ job_key: jobKey, connection, process_instance_id: processInstanceId, state: 'APPROVAL', review_instance_id: reviewInstanceId }).onConflict('job_key').merge(['state', 'review_instance_id']);
  }

  /** The remote task id and its first state, with the audit of the send, in one transaction: from here the job only ever polls. */
  async recordSent(row: Omit<RemoteTaskRow, 'state'> & { state: string }, audit: { actor: string; elementId: string; payload: Record<string, unknown> }): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('a2a_remote_tasks').where({ job_key: row.job_key }).update({ remote_task_id: row.remote_task_id, context_id: row.context_id, state: row.state, updated_at: trx.fn.now() });
      await insertAudit(trx, row.process_instance_id, audit.actor, 'A2A_TASK_SENT', audit.payload, audit.elementId);
    });
  }

  /** A new state seen, with its audit row, in one transaction. */
  async recordState(row: RemoteTaskRow, state: string, type: A2aAuditType, audit: { actor: string; elementId: string; payload: Record<string, unknown> }): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('a2a_remote_tasks').where({ job_key: row.job_key }).update({ state, updated_at: trx.fn.now() });
      await insertAudit(trx, row.process_instance_id, audit.actor, type, audit.payload, audit.elementId);
    });
  }

  // ------------------------------------------------------------ kill switches

  async disabled(connection: string): Promise<boolean> {
    const row = await this.db('a2a_switches').where({ connection }).first('disabled');
    return row?.disabled === true;
  }

  async switches(): Promise<Record<string, boolean>> {
    const rows = await this.db('a2a_switches').select('connection', 'disabled');
    return Object.fromEntries(rows.map((r) => [r.connection, r.disabled]));
  }

  async setSwitch(connection: string, disabled: boolean, actor: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('a2a_switches').insert({ connection, disabled, changed_by: actor, changed_at: trx.fn.now() }).onConflict('connection').merge();
      await insertAudit(trx, null, actor, disabled ? 'A2A_CONNECTION_DISABLED' : 'A2A_CONNECTION_ENABLED', { connection });
    });
  }
}

/** Redacted by key and value: a remote agent's answer may echo a header it was sent. */
export async function insertAudit(db: Knex, processInstanceId: string | null, actor: string, type: string, payload: Record<string, unknown>, elementId?: string): Promise<void> {
  await db('audit').insert({ process_instance_id: processInstanceId, actor, type, element_id: elementId ?? null, payload: JSON.stringify(redact(payload)) });
}
