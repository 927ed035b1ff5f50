import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { createDatabase, migrate, openDatabase } from '../../engine/persistence/database.js';

export interface TestDatabase {
  knex: Knex;
  url: string;
  /** Closes the pool and drops the database, even if someone else is still connected. */
  drop(): Promise<void>;
}

/** The server tests create their databases on; its own database is used only for CREATE/DROP. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, migrated database `weft_test_<random>` for one test file:
 * create it in `beforeAll`, drop it in `afterAll`.
 */
export async function createTestDatabase(options: { poolMax?: number; migrate?: boolean } = {}): Promise<TestDatabase> {
  const url = withDatabase(TEST_SERVER_URL, `weft_test_${randomBytes(6).toString('hex')}`);
  await createDatabase(url);
  const db = await openDatabase({ databaseUrl: url }, { poolMax: options.poolMax ?? 5 });
  try {
    if (options.migrate !== false) await migrate(db);
  } catch (error) {
    await db.destroy();
    await dropDatabase(url);
    throw error;
  }
  return {
    knex: db,
    url,
    async drop() {
      await db.destroy();
      await dropDatabase(url);
    },
  };
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
