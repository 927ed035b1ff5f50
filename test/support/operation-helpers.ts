/** What the operations tests read of an instance: its rows, to tell a change from none. */
import type { Knex } from 'knex';
import { eventually } from './test-weft.js';

/** Everything a modification or migration could write for instance `id`. */
export async function instanceRows(db: Knex, id: string) {
  const where = { process_instance_id: id };
  return {
    instance: await db('process_instances').where({ id }).first('state', 'status', 'revision', 'definition_key', 'version'),
    entries: await db('instance_entries').where({ instance_id: id }).orderBy(['kind', 'key']).select('kind', 'key', 'value'),
    jobs: await db('jobs').where(where).orderBy('key').select('key', 'element_id', 'state'),
    tasks: await db('tasks').where(where).orderBy('id').select('id', 'element_id', 'state'),
    timers: await db('timers').where(where).orderBy('id').select('id', 'element_id', 'state'),
    incidents: await db('incidents').where(where).orderBy('id').select('id', 'state'),
    audit: await db('audit').where(where).count<{ count: string }[]>('* as count'),
  };
}

/** The open job of `type` in instance `id`, once it is there. */
export function openJob(db: Knex, id: string, type: string): Promise<{ key: string; element_id: string }> {
  return eventually(() => db('jobs').where({ process_instance_id: id, type }).whereIn('state', ['ACTIVATABLE', 'ACTIVATED']).first('key', 'element_id'));
}

/** The open inbox task of instance `id`, once it is there. */
export function openTask(db: Knex, id: string): Promise<{ id: string; element_id: string }> {
  return eventually(() => db('tasks').where({ process_instance_id: id, state: 'CREATED' }).first('id', 'element_id'));
}

export async function auditTypes(db: Knex, id: string): Promise<string[]> {
  return (await db('audit').where({ process_instance_id: id }).orderBy('id').select('type')).map((r: { type: string }) => r.type);
}
