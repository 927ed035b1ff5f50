import type { Knex } from 'knex';

/**
 * Decisions (DMN). A `.dmn` file is a decision requirements graph (DRG),
 * versioned per its `definitions` id like a process: the same file again
 * reuses the latest version, a changed one is the next. Each decision in it
 * is versioned per decision id (a changed file gives each of its decisions a
 * new version, as in Camunda 8) and points at the DRG version it belongs to,
 * whose compiled model (engine/dmn) is what is evaluated: it holds the
 * decisions the decision requires.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('decision_requirements', (t) => {
    t.uuid('key').primary();
    t.text('drg_id').notNullable();
    t.integer('version').notNullable();
    t.text('name');
    t.text('checksum').notNullable();
    t.text('resource_name').notNullable();
    t.uuid('deployment_id').notNullable().references('deployments.id');
    t.text('xml').notNullable();
    t.jsonb('model').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['drg_id', 'version']);
  });
  await knex.schema.createTable('decision_definitions', (t) => {
    t.uuid('key').primary();
    t.text('decision_id').notNullable();
    t.integer('version').notNullable();
    t.text('name');
    t.text('version_tag');
    t.uuid('decision_requirements_key').notNullable().references('decision_requirements.key');
    t.uuid('deployment_id').notNullable().references('deployments.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['decision_id', 'version']);
    t.index(['decision_id', 'version_tag']);
    t.index(['deployment_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('decision_definitions');
  await knex.schema.dropTable('decision_requirements');
}
