/** A database and Redis prefix of a benchmark's own, made from the configuration, and dropped afterwards. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../engine/config.js';

export function benchConfig(): Config {
  const base = loadConfig();
  const name = `weft_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = base.databaseUrl.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  return { ...base, databaseUrl, queuePrefix: `weft-bench-${randomBytes(4).toString('hex')}`, port: 0 };
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
