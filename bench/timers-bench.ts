/**
 * `npm run bench:timers [-- N [WAITING]]`, against the real Postgres and Redis:
 *
 * 1. A burst: N instances (default 10,000) wait on timers all due in the
 *    same second, with one engine sweeping; how long until every timer has
 *    fired, and whether any fired twice (TIMER_FIRED records per timer).
 * 2. Waiting: an idle engine process's memory with WAITING timers (default
 *    100,000) armed a day ahead, against the same engine with none. Timers
 *    live in Postgres, so the figure should not grow with WAITING.
 *
 * The last line printed is one JSON object with the headline figures.
 * Uses databases of its own (created and dropped) and Redis prefixes of its own.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { loadConfig, type Config } from '../engine/config.js';
import { startWeft, type Weft } from '../engine/weft.js';
import { percentile, pool, round } from './stats.js';
import { benchDatabaseUrl, dropDatabase, idleEngineMemory } from './bench-support.js';

const N = Number(process.argv[2] ?? process.env.BENCH_TIMERS ?? 10_000);
const WAITING = Number(process.argv[3] ?? process.env.BENCH_WAITING_TIMERS ?? 100_000);
/** Starts in flight while filling. */
const FILL_CONCURRENCY = 32;
const xml = readFileSync(new URL('./timer-wait.bpmn', import.meta.url), 'utf8');

function benchConfig(base: Config, prefix: string): Config {
  return { ...base, databaseUrl: benchDatabaseUrl(base.databaseUrl, prefix), queuePrefix: `weft-${prefix}-${randomBytes(3).toString('hex')}`, port: 0 };
}

/** Starts `n` instances waiting until `dueAt` on an engine that fires nothing (its background is off). */
async function fill(config: Config, n: number, dueAt: string): Promise<number> {
  const filler = await startWeft({ config, logger: pino({ level: 'warn' }), http: false, migrate: false, background: false, poolMax: 20 });
  const started = performance.now();
  try {
    await pool(n, FILL_CONCURRENCY, async () => {
      await filler.engine.startInstance({ processId: 'bench-timer', variables: { dueAt } }, 'bench');
    });
    return (performance.now() - started) / 1000;
  } finally {
    await filler.close();
  }
}

async function count(weft: Weft, type: string): Promise<{ records: number; timers: number }> {
  const [row] = await weft.db('audit').where({ type }).select(weft.db.raw("count(*) AS records, count(DISTINCT payload->>'timerId') AS timers"));
  return { records: Number(row.records), timers: Number(row.timers) };
}

async function burst(base: Config) {
  const config = benchConfig(base, 'weft_timers');
  // The sweeping engine runs from the start, as in production; the filler beside it only starts instances.
  const sweeper = await startWeft({ config, logger: pino({ level: 'warn' }), http: false, poolMax: 20 });
  try {
    await sweeper.engine.deploy([{ name: 'timer-wait.bpmn', content: xml }], 'bench');
    // Due on a whole second far enough ahead for the filling to finish first.
    const due = new Date(Math.ceil((Date.now() + 10_000 + N * 2) / 1000) * 1000);
    const fillSeconds = await fill(config, N, due.toISOString());
    console.log(`  filled ${N} instances in ${round(fillSeconds)} s; all due at ${due.toISOString()}`);
    if (Date.now() > due.getTime()) console.log('  warning: the filling ended after the due time; the burst is measured from the due time anyway');
    for (;;) {
      const [{ n }] = await sweeper.db('timers').where({ state: 'ACTIVE' }).count({ n: '*' });
      if (Number(n) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const lastFired = await sweeper.db('timers').max({ at: 'closed_at' });
    const firedAt = (await sweeper.db('timers').select('closed_at')).map((r) => r.closed_at.getTime() - due.getTime());
    const fired = await count(sweeper, 'TIMER_FIRED');
    const [{ n: completed }] = await sweeper.db('process_instances').where({ status: 'COMPLETED' }).count({ n: '*' });
    return {
      seconds: (lastFired[0].at.getTime() - due.getTime()) / 1000,
      lateP50: percentile(firedAt, 50),
      lateP99: percentile(firedAt, 99),
      firedRecords: fired.records,
      firedTimers: fired.timers,
      completed: Number(completed),
      config,
    };
  } finally {
    await sweeper.close();
  }
}

async function waiting(base: Config) {
  const config = benchConfig(base, 'weft_timer_memory');
  const setup = await startWeft({ config, logger: pino({ level: 'warn' }), http: false, background: false });
  await setup.engine.deploy([{ name: 'timer-wait.bpmn', content: xml }], 'bench');
  await setup.close();
  try {
    const none = idleEngineMemory(config.databaseUrl);
    console.log(`  idle engine, no timers:           rss ${none.rssMb} MB, heap ${none.heapUsedMb} MB`);
    const fillSeconds = await fill(config, WAITING, new Date(Date.now() + 24 * 3600_000).toISOString());
    console.log(`  armed ${WAITING} timers a day ahead in ${round(fillSeconds)} s`);
    const loaded = idleEngineMemory(config.databaseUrl);
    console.log(`  idle engine, ${WAITING} timers waiting: rss ${loaded.rssMb} MB, heap ${loaded.heapUsedMb} MB`);
    return { none, loaded };
  } finally {
    await dropDatabase(config.databaseUrl);
  }
}

async function main() {
  const base = loadConfig();
  console.log(`Weft timers: ${N} timers due in the same second, one engine sweeping (poll ${base.timerPollMs} ms)`);
  const b = await burst(base);
  await dropDatabase(b.config.databaseUrl);
  console.log(`burst:   all ${N} fired ${round(b.seconds, 2)} s after their due second (lateness p50 ${b.lateP50} ms, p99 ${b.lateP99} ms)`);
  console.log(`         ${b.firedRecords} TIMER_FIRED records for ${b.firedTimers} timers; ${b.completed} instances completed`);
  if (process.env.BENCH_BURST_ONLY) process.exit(0);

  console.log(`Weft timers: memory of an idle engine with ${WAITING} timers waiting`);
  const w = await waiting(base);
  console.log(
    JSON.stringify({
      timers: N,
      burstSeconds: round(b.seconds, 2),
      lateP50Ms: b.lateP50,
      lateP99Ms: b.lateP99,
      firedTwice: b.firedRecords - b.firedTimers,
      completed: b.completed,
      waiting: WAITING,
      idleRssMbNone: w.none.rssMb,
      idleRssMbWaiting: w.loaded.rssMb,
      heapMbNone: w.none.heapUsedMb,
      heapMbWaiting: w.loaded.heapUsedMb,
    }),
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
