/** What the benchmarks share: a database of their own, and the memory of an idle engine process. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** A fresh database URL next to the configured one (created by the first engine that migrates it). */
export function benchDatabaseUrl(baseUrl: string, prefix: string): string {
  return baseUrl.replace(/\/[^/?]+(\?|$)/, `/${prefix}_${randomBytes(4).toString('hex')}$1`);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

/** Starts an engine process (idle-engine.ts) on `databaseUrl`, lets it idle, and reads its memory after a GC. */
export function idleEngineMemory(databaseUrl: string, queuePrefix = `weft-mem-${randomBytes(3).toString('hex')}`): { rssMb: number; heapUsedMb: number } {
  const child = fileURLToPath(new URL('./idle-engine.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child], {
    env: { ...process.env, DATABASE_URL: databaseUrl, WEFT_QUEUE_PREFIX: queuePrefix },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}
