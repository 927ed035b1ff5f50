/**
 * Postgres for the inbound side: which processes an administrator exposed
 * (and how their Agent Card describes them), and the A2A tasks outside
 * agents handed in, each tied to the instance it started.
 */
import type { Knex } from 'knex';
import { insertAudit } from '../../../connectors/a2a/remote-task-repository.js';

export interface Skill {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples?: string[];
}

export interface Exposure {
  processId: string;
  name: string | null;
  description: string | null;
  skills: Skill[];
  outputVariables: string[] | null;
  exposedBy: string;
  updatedAt: string;
}

export interface TaskRow {
  task_id: string;
  process_id: string;
  process_instance_id: string | null;
  context_id: string;
  owner: string;
  snapshot: unknown;
}

const exposure = (r: any): Exposure => ({
  processId: r.process_id,
  name: r.name,
  description: r.description,
  skills: r.skills,
  outputVariables: r.output_variables,
  exposedBy: r.exposed_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export class ExposedRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Exposure[]> {
    return (await this.db('a2a_exposed_processes').orderBy('process_id')).map(exposure);
  }

  async get(processId: string): Promise<Exposure | null> {
    const row = await this.db('a2a_exposed_processes').where({ process_id: processId }).first();
    return row ? exposure(row) : null;
  }

  /** The change and its audit row in one transaction. */
  async expose(e: Omit<Exposure, 'updatedAt'>): Promise<Exposure> {
    return this.db.transaction(async (trx) => {
      const row = { process_id: e.processId, name: e.name, description: e.description, skills: JSON.stringify(e.skills), output_variables: e.outputVariables ? JSON.stringify(e.outputVariables) : null, exposed_by: e.exposedBy, updated_at: trx.fn.now() };
      const [stored] = await trx('a2a_exposed_processes').insert(row).onConflict('process_id').merge().returning('*');
      await insertAudit(trx, null, e.exposedBy, 'A2A_PROCESS_EXPOSED', { processId: e.processId, name: e.name, skills: e.skills.map((s) => s.id), outputVariables: e.outputVariables });
      return exposure(stored);
    });
  }

  async withdraw(processId: string, actor: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const removed = await trx('a2a_exposed_processes').where({ process_id: processId }).delete();
      if (removed > 0) await insertAudit(trx, null, actor, 'A2A_PROCESS_WITHDRAWN', { processId });
      return removed > 0;
    });
  }

  // ------------------------------------------------------------ tasks

  async task(taskId: string): Promise<TaskRow | undefined> {
    return this.db('a2a_tasks').where({ task_id: taskId }).first();
  }

  async insertTask(row: Omit<TaskRow, 'process_instance_id' | 'snapshot'>): Promise<void> {
    await this.db('a2a_tasks').insert(row);
  }

  async tieInstance(taskId: string, processInstanceId: string): Promise<void> {
    await this.db('a2a_tasks').where({ task_id: taskId }).update({ process_instance_id: processInstanceId, updated_at: this.db.fn.now() });
  }

  async saveSnapshot(taskId: string, snapshot: unknown): Promise<void> {
    await this.db('a2a_tasks').where({ task_id: taskId }).update({ snapshot: JSON.stringify(snapshot), updated_at: this.db.fn.now() });
  }
}
