import type { Knex } from 'knex';

/**
 * Buffered messages are handed out in the order they were published. Their
 * `published_at` comes from the publishing engine's clock in milliseconds,
 * so two published in the same millisecond tied (and a random key broke the
 * tie): a sequence gives the order of the inserts themselves.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE messages ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE messages DROP COLUMN seq');
}
