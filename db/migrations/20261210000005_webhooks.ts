import type { Knex } from 'knex';

/**
 * Inbound webhooks (engine/features/webhooks).
 *
 * - `webhook_endpoints`: the webhooks of the latest version of each process,
 *   one row per webhook id (`context`, the last part of /webhooks/<id>). A
 *   deploy hook replaces a process's rows when a new version is stored; the
 *   primary key is what keeps two processes from claiming one id. Every
 *   engine process reads it, so an endpoint answers on all of them, and
 *   after a restart.
 * - `instance_start_keys`: a start that carries a key (a webhook delivery's
 *   id) writes it in the same statement as the instance, so a replayed
 *   delivery finds the instance it started instead of starting another.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.text('context').primary();
    t.text('process_id').notNullable();
    t.uuid('definition_key').notNullable();
    t.text('element_id').notNullable();
    t.text('resource_name').notNullable();
    t.timestamp('since', { useTz: true }).notNullable();
    t.index(['process_id']);
  });
  await knex.schema.createTable('instance_start_keys', (t) => {
    t.text('start_key').primary();
    t.uuid('process_instance_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instance_start_keys');
  await knex.schema.dropTable('webhook_endpoints');
}
