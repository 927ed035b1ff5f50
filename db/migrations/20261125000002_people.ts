import type { Knex } from 'knex';

/**
 * People: users (role, scrypt password hash), groups, personal API tokens
 * (stored as SHA-256 hashes, revocable), browser sessions (cookie id stored
 * hashed, with the session's CSRF token) and deployed forms (form-js JSON,
 * versioned by formId like processes by process id).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable().unique();
    t.text('role').notNullable();
    t.text('password_hash');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'modeler', 'operator', 'user'))`);

  await knex.schema.createTable('groups', (t) => {
    t.text('name').primary();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('user_groups', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('group_name').notNullable().references('groups.name').onDelete('CASCADE');
    t.primary(['user_id', 'group_name']);
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('token_hash').notNullable().unique();
    t.specificType('scopes', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['user_id']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.text('id_hash').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('csrf_token').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('forms', (t) => {
    t.uuid('key').primary();
    t.text('form_id').notNullable();
    t.integer('version').notNullable();
    t.text('resource_name').notNullable();
    t.uuid('deployment_id').notNullable().references('deployments.id');
    t.jsonb('schema').notNullable();
    t.text('checksum').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['form_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['forms', 'sessions', 'api_tokens', 'user_groups', 'groups', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
