/**
 * A PgBouncer of the test's own, in transaction mode, in front of the shared
 * Postgres: its own ini in a temp directory, a free loopback port, a pool so
 * small (5 server connections per database) that the engine's clients really
 * share server connections between transactions. `stop()` in afterAll.
 *
 * PgBouncer refuses to run as root: as root it is told to switch to the
 * `postgres` OS user (`-u postgres`), which must be able to read its ini.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './private-postgres.js';

export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';
export const pgbouncerInstalled = () => existsSync(PGBOUNCER_BIN);

export interface PrivatePgBouncer {
  port: number;
  /** The same database as `directUrl`, reached through the pooler. */
  pooled(directUrl: string): string;
  /** Runs a command on PgBouncer's admin console (`SHOW POOLS`, `SHOW STATS`). */
  admin(command: string): Promise<Record<string, any>[]>;
  /** What PgBouncer wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

export async function startPrivatePgBouncer(options: { server?: { host: string; port: number }; poolSize?: number } = {}): Promise<PrivatePgBouncer> {
  const server = options.server ?? { host: '127.0.0.1', port: 5432 };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'weft-pgbouncer-'));
  chmodSync(dir, 0o755);
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(ini, [
    '[databases]',
    // Any database name, on the one server: each test database is reached by its own name.
    `* = host=${server.host} port=${server.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'userlist.txt')}`,
    'admin_users = postgres',
    'pool_mode = transaction',
    'max_client_conn = 200',
    `default_pool_size = ${options.poolSize ?? 5}`,
    'reserve_pool_size = 0',
    // node-pg sends none of these today; listed so a client that does is not refused.
    'ignore_startup_parameters = extra_float_digits,options',
    '',
  ].join('\n'));
  for (const f of ['pgbouncer.ini', 'userlist.txt']) chmodSync(join(dir, f), 0o644);

  const args = process.getuid?.() === 0 ? ['-u', 'postgres', ini] : [ini];
  let output = '';
  const child: ChildProcess = spawn(PGBOUNCER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const admin = async (command: string) => {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/pgbouncer`, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      return (await client.query(command)).rows;
    } finally {
      await client.end();
    }
  };
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await admin('SHOW VERSION');
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`pgbouncer on port ${port} did not start: ${String(error)}\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    pooled(directUrl) {
      const url = new URL(directUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    admin,
    log: () => output,
    stop,
  };
}
