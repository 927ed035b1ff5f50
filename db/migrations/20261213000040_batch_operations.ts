import type { Knex } from 'knex';

/**
 * Batch operations (engine/features/batch-operations): an operator's cancel
 * or retry over many instances, run in the background by any engine.
 *
 * - `batch_operations`: one row per batch — its kind and parameters, the
 *   search it was made from (or null for a list of ids), who asked and why,
 *   its state (RUNNING, COMPLETED, CANCELED) and counts. The counts change in
 *   the same statement as the items they count, so they never disagree.
 * - `batch_operation_items`: the instances the batch was made over, fixed at
 *   creation (an instance started later is not in it). An engine claims
 *   pending items with FOR UPDATE SKIP LOCKED and marks them with its claim
 *   token and a lease; finishing is guarded by that token, so an engine whose
 *   lease ran out cannot overwrite the engine that took the item over.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('batch_operations', (t) => {
    t.uuid('id').primary();
    t.text('kind').notNullable();
    t.jsonb('parameters').notNullable();
    t.jsonb('filter');
    t.text('actor').notNullable();
    t.text('reason');
    t.text('state').notNullable();
    t.integer('total').notNullable();
    t.integer('done').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.text('canceled_by');
    t.index(['created_at']);
  });
  await knex.schema.createTable('batch_operation_items', (t) => {
    t.uuid('operation_id').notNullable().references('id').inTable('batch_operations').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.uuid('instance_id').notNullable();
    t.text('state').notNullable().defaultTo('pending');
    t.text('message');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('claimed_by');
    t.timestamp('claimed_until', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['operation_id', 'position']);
    t.index(['operation_id', 'state', 'position']);
  });
  // What the engines' claim looks at: only the pending items, few once a batch is under way.
  await knex.raw(`CREATE INDEX batch_operation_items_pending ON batch_operation_items (operation_id, position) WHERE state = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('batch_operation_items');
  await knex.schema.dropTable('batch_operations');
}
