import type { Knex } from 'knex';

/**
 * The secrets store: what `{{secrets.NAME}}` resolves to when the server's
 * environment has no `WEFT_SECRET_NAME`. Values are encrypted at rest with
 * AES-256-GCM (engine/secrets/secret-cipher.ts): a row holds the ciphertext,
 * its IV and authentication tag, and the id of the key that sealed it, so a
 * key can be rotated (rows under an old key are read with
 * WEFT_SECRETS_KEY_PREVIOUS and re-encrypted by `weft secrets rotate`).
 * The plaintext is never stored.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('secrets', (t) => {
    t.text('name').primary();
    t.binary('ciphertext').notNullable();
    t.binary('iv').notNullable();
    t.binary('auth_tag').notNullable();
    t.text('key_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('created_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('updated_by').notNullable();
    // Rotation looks for the rows not yet under the current key.
    t.index(['key_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('secrets');
}
