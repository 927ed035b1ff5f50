import type { Knex } from 'knex';

/** The approval a person gives before a job's task is sent to a remote agent whose connection asks for one. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('a2a_remote_tasks', (t) => {
    t.uuid('review_instance_id').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('a2a_remote_tasks', (t) => {
    t.dropColumn('review_instance_id');
  });
}
