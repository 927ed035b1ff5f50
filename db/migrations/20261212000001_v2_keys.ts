import type { Knex } from 'knex';

/**
 * Camunda 8's clients see every entity by a key that is a string of digits;
 * Weft's own ids are UUIDs (and stay so for its own API). One table gives
 * each Weft id a stable numeric key the first time a /v2 client sees it.
 * Keys start where Zeebe's do (partition 1), so they look as clients expect.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('v2_keys', (t) => {
    t.bigIncrements('key').primary();
    t.text('kind').notNullable();
    t.text('id').notNullable();
    t.unique(['kind', 'id']);
  });
  await knex.raw(`ALTER SEQUENCE v2_keys_key_seq RESTART WITH 2251799813685249`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('v2_keys');
}
