import type { Knex } from 'knex';

/**
 * What the operations page's searches need (issue #12): instances by
 * business key, by version, by start and end time, with or without an open
 * incident, and by a variable's value.
 *
 * None of the process_instances indexes covers a column a step rewrites
 * (`state`, `revision`, `updated_at`), so every step stays a HOT update; only
 * the end of an instance (status, ended_at) touches them.
 *
 * The variables index is a GIN over each element entry's `variables` (scopes
 * and elements with input mappings), with jsonb_path_ops: it answers the
 * search's containment test and is the smallest GIN for it. Entries without
 * variables (most elements) add nothing to it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX process_instances_business_key_idx ON process_instances (business_key) WHERE business_key IS NOT NULL');
  await knex.raw('CREATE INDEX process_instances_definition_status_idx ON process_instances (definition_key, status)');
  await knex.raw('CREATE INDEX process_instances_process_version_idx ON process_instances (process_id, version, created_at)');
  await knex.raw('CREATE INDEX process_instances_created_at_idx ON process_instances (created_at, id)');
  await knex.raw('CREATE INDEX process_instances_ended_at_idx ON process_instances (ended_at) WHERE ended_at IS NOT NULL');
  await knex.raw("CREATE INDEX incidents_open_instance_idx ON incidents (process_instance_id) WHERE state = 'OPEN'");
  await knex.raw("CREATE INDEX instance_entries_variables_idx ON instance_entries USING gin ((value->'variables') jsonb_path_ops) WHERE kind = 'element'");
}

export async function down(knex: Knex): Promise<void> {
  for (const index of [
    'instance_entries_variables_idx',
    'incidents_open_instance_idx',
    'process_instances_ended_at_idx',
    'process_instances_created_at_idx',
    'process_instances_process_version_idx',
    'process_instances_definition_status_idx',
    'process_instances_business_key_idx',
  ]) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
}
