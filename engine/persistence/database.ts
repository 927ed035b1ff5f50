import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { ConnectionError, addressOf, reasonOf } from '../connection-error.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations/', import.meta.url));

const START_HINT =
  'Start it with `docker compose up -d postgres`, or on Debian/Ubuntu with ' +
  '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, ' +
  'or point DATABASE_URL at a running server.';

export interface DatabaseOptions {
  poolMin?: number;
  poolMax?: number;
  /** How long to wait for a connection before giving up, in ms. */
  connectTimeoutMs?: number;
}

/**
 * Creates the database named in `url` if it does not exist yet, by connecting
 * to the `postgres` maintenance database of the same server.
 * Returns true when it created it.
 */
export async function createDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = await connect(maintenance.toString());
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    return true;
  } catch (error) {
    // Another process created it between our check and our CREATE.
    const code = (error as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false;
    throw error;
  } finally {
    await client.end();
  }
}

/** Opens a connection pool and checks that the database answers. */
export async function openDatabase(
  config: { databaseUrl: string },
  options: DatabaseOptions = {},
): Promise<Knex> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  // Probe with a plain client first: knex's pool would log every failed attempt before we can explain it.
  await (await connect(config.databaseUrl, connectTimeoutMs)).end();
  return knex({
    client: 'pg',
    connection: { connectionString: config.databaseUrl, connectionTimeoutMillis: connectTimeoutMs },
    pool: { min: options.poolMin ?? 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: connectTimeoutMs + 5000,
  });
}

/** Brings the schema up to date with `db/migrations`. Returns the names of the migrations it ran. */
export async function migrate(db: Knex): Promise<string[]> {
  const [, ran] = (await db.migrate.latest({ migrationSource: new DirectoryMigrationSource(MIGRATIONS_DIR) })) as [
    number,
    string[],
  ];
  return ran;
}

/**
 * Loads migrations with our own `import()`, not knex's: knex's loader runs
 * outside the TypeScript loader under vitest, so it cannot read `.ts` there.
 * Names keep their extension, as knex's own directory source records them.
 */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  constructor(
    private readonly directory: string,
    private readonly extensions = ['.ts', '.js'],
  ) {}

  async getMigrations(): Promise<string[]> {
    const files = await readdir(this.directory);
    return files.filter((file) => this.extensions.includes(path.extname(file)) && !file.endsWith('.d.ts')).sort();
  }

  getMigrationName(file: string): string {
    return file;
  }

  async getMigration(file: string): Promise<Knex.Migration> {
    return import(pathToFileURL(path.join(this.directory, file)).href);
  }
}

/** A connected pg client, or a ConnectionError that says what to do. */
async function connect(url: string, timeoutMs = 5000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw postgresError(url, error);
  }
}

function postgresError(url: string, error: unknown): Error {
  const code = (error as { code?: string }).code;
  const address = addressOf(url, 5432);
  if (code === '3D000') {
    return new ConnectionError('Postgres', address, `database "${databaseName(url)}" does not exist`,
      'Create it with `npm run migrate`.', { cause: error });
  }
  if (code === '28P01' || code === '28000') {
    return new ConnectionError('Postgres', address, reasonOf(error), 'Check the user and password in DATABASE_URL.', {
      cause: error,
    });
  }
  return new ConnectionError('Postgres', address, reasonOf(error), START_HINT, { cause: error });
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${addressOf(url, 5432)}`);
  return name;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
