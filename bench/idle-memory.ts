/**
 * `npm run bench:memory [-- N]`: what an idle engine process uses with N
 * instances (default 100,000) waiting at a user task, and how fast the pages
 * read at that size. State lives in Postgres, so the memory should not grow
 * with N: it is measured with none waiting and with N waiting, each in a
 * fresh engine process. The instances are started by filler processes
 * (bulk-start.ts), each start a real one through the engine. Then the inbox's
 * tab for one group and opening one instance are timed against 50 ms, and
 * their query plans printed (waiting-reads.ts). The database and the run's
 * Redis keys are removed at the end.
 *
 * Knobs (environment): BENCH_GROUPS (100: instances go round-robin to groups
 * reviewers-0 …), BENCH_FILLERS (filler processes), BENCH_CONCURRENCY
 * (starts in flight per filler).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../engine/config.js';
import { openDatabase } from '../engine/persistence/database.js';
import { startWeft } from '../engine/weft.js';
import { openRedis } from '../engine/queue/redis.js';
import { cleanupPrefix } from '../test/support/test-redis.js';
import { benchDatabaseUrl, dropDatabase, idleEngineMemory as idleEngine } from './bench-support.js';
import { bulkStart } from './bulk-start.js';
import { measureReads } from './waiting-reads.js';

const N = Number(process.argv[2] ?? process.env.BENCH_WAITING ?? 100_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 100);
const FILLERS = Number(process.env.BENCH_FILLERS ?? 1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512);
const xml = readFileSync(new URL('./waiting-review.bpmn', import.meta.url), 'utf8');

async function main() {
  const base = loadConfig();
  const databaseUrl = benchDatabaseUrl(base.databaseUrl, 'weft_memory');
  // Every engine of the run has a BullMQ prefix of its own under this one; their keys are removed at the end.
  const run = `weft-mem-${randomBytes(3).toString('hex')}`;
  const prefixes = [`${run}-setup`, `${run}-empty`, `${run}-waiting`, ...Array.from({ length: FILLERS }, (_, p) => `${run}-fill-${p}`)];
  try {
    const setup = await startWeft({ config: { ...base, databaseUrl, port: 0, queuePrefix: `${run}-setup` }, logger: pino({ level: 'warn' }), http: false, background: false });
    await setup.engine.deploy([{ name: 'waiting-review.bpmn', content: xml }], 'bench');
    await setup.close();
    const empty = idleEngine(databaseUrl, `${run}-empty`);
    console.log(`idle engine, no instances:          rss ${empty.rssMb} MB, heap ${empty.heapUsedMb} MB`);

    const fill = await bulkStart(databaseUrl, { count: N, queuePrefix: `${run}-fill`, groups: GROUPS, processes: FILLERS, concurrency: CONCURRENCY });
    console.log(`started ${fill.started} instances waiting at a user task (${GROUPS} groups) in ${fill.seconds.toFixed(1)} s: ${fill.perSecond}/s (${FILLERS} filler process(es), ${CONCURRENCY} in flight each)`);
    console.log(`CPU per start: ${fill.engineCpuMsPerStart} ms in the filler, ${fill.postgresCpuMsPerStart ?? '?'} ms in its Postgres backends`);

    const loaded = idleEngine(databaseUrl, `${run}-waiting`);
    console.log(`idle engine, ${N} waiting:   rss ${loaded.rssMb} MB, heap ${loaded.heapUsedMb} MB`);

    const db = await openDatabase({ databaseUrl });
    try {
      const bytes = Number((await db.raw('SELECT pg_database_size(current_database()) AS bytes')).rows[0].bytes);
      console.log(`database: ${(bytes / 2 ** 30).toFixed(2)} GB, ${Math.round(bytes / N)} bytes per waiting instance`);
      const reads = await measureReads(db, databaseUrl, GROUPS, (line) => console.log(line));
      console.log(
        JSON.stringify({
          waiting: N,
          idleRssMbEmpty: empty.rssMb,
          idleRssMbWaiting: loaded.rssMb,
          heapMbEmpty: empty.heapUsedMb,
          heapMbWaiting: loaded.heapUsedMb,
          startsPerSecond: fill.perSecond,
          fillSeconds: Math.round(fill.seconds),
          engineCpuMsPerStart: fill.engineCpuMsPerStart,
          postgresCpuMsPerStart: fill.postgresCpuMsPerStart,
          fillers: FILLERS,
          concurrency: CONCURRENCY,
          groups: GROUPS,
          databaseBytes: bytes,
          reads: reads.timings.map((t) => ({ name: t.name, p50Ms: t.p50Ms, maxMs: t.maxMs, p50Within: t.p50Within, maxWithin: t.maxWithin })),
          boundMs: reads.timings[0].boundMs,
          boundsHeld: reads.timings.every((t) => t.p50Within && t.maxWithin),
          seqScansOnLargeTables: Object.values(reads.plans).flat().flatMap((p) => p.seqScans),
        }),
      );
    } finally {
      await db.destroy();
    }
  } finally {
    await dropDatabase(databaseUrl);
    await removeQueueKeys(base.redisUrl, prefixes);
  }
}

async function removeQueueKeys(redisUrl: string, prefixes: string[]): Promise<void> {
  const redis = openRedis(redisUrl);
  try {
    // On a Redis Cluster the keys are spread over its masters: left to the operator.
    if (redis instanceof Redis) for (const prefix of prefixes) await cleanupPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
