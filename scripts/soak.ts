/**
 * `npm run soak`: reliability under faults. A mixed workload (scripts/soak/soak.bpmn:
 * parallel branches, service tasks worked in another process over REST, a
 * user task completed over REST, an error boundary) runs against two engine
 * processes on a Postgres and a Redis of the soak's own, while:
 *
 *   - every 20 s an engine (in turn) and the worker process are SIGKILLed and started again
 *     (20 s after the previous restart is done, when restarts are slow: one engine always serves);
 *   - Redis is FLUSHALLed once (at 30 % of the run);
 *   - Postgres is restarted once (at 55 % of the run; down for 5 s);
 *   - Redis is stopped once (at 75 % of the run; down for 5 s, back empty).
 *
 * Then the workload stops, the system gets SOAK_DRAIN_SECONDS (default 120) to
 * finish, and one JSON line is printed on stdout:
 *   {"seconds","started","completed","lost","doubled","serverErrors","maxStallMs"}
 * The exit code is 1 when lost, doubled or serverErrors is not 0.
 *
 *   SOAK_SECONDS   length of the workload (default 600)
 *   SOAK_RATE      instance starts per second (default 5)
 *   SOAK_VERBOSE   "1": the children's warnings on stderr
 */
import { readFileSync } from 'node:fs';
import { createDatabase, migrate, openDatabase } from '../engine/persistence/database.js';
import { startPrivatePostgres, freePort, type PrivatePostgres } from '../test/support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/private-redis.js';
import { EngineClient } from './soak/engine-client.js';
import { engineProcess, workerProcess, type Restartable } from './soak/processes.js';
import { tally } from './soak/tally.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 5);
const DRAIN_SECONDS = Number(process.env.SOAK_DRAIN_SECONDS ?? 120);
const KILL_EVERY_MS = 20_000;
const PREFIX = 'soak';
const TOKEN = 'child-admin-token';
const xml = readFileSync(new URL('./soak/soak.bpmn', import.meta.url), 'utf8');

// stdout carries the one JSON line; libraries that log with console.log (knex's pool) go to stderr.
console.log = (...args: unknown[]) => console.error(...args);

const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[soak ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let postgres: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
const children: Restartable[] = [];

async function cleanUp(): Promise<void> {
  await Promise.all(children.map((c) => c.kill().catch(() => undefined)));
  await redis?.stop().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
}

// Whatever ends the soak, its servers and children go with it.
process.once('uncaughtException', (error) => {
  log(`soak failed: ${error.stack ?? String(error)}`);
  void cleanUp().finally(() => process.exit(2));
});
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
process.once('SIGTERM', () => void cleanUp().finally(() => process.exit(143)));

async function main(): Promise<number> {
  postgres = await startPrivatePostgres();
  redis = await startPrivateRedis();
  const databaseUrl = postgres.databaseUrl('weft_soak');
  await createDatabase(databaseUrl);
  const db = await openDatabase({ databaseUrl }, { poolMax: 2 });
  await migrate(db);
  log(`Postgres ${postgres.url}, Redis ${redis.url}; ${SECONDS} s at ${RATE} starts/s`);

  const ports = [await freePort(), await freePort()];
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const engines = ports.map((port, i) => engineProcess(`engine-${'ab'[i]}`, { databaseUrl, redisUrl: redis!.url, prefix: PREFIX, port }, log));
  const workers = workerProcess({ engineUrls: urls, redisUrl: redis.url, prefix: PREFIX }, log);
  children.push(...engines, workers);
  await Promise.all(children.map((c) => c.start()));

  const client = new EngineClient(urls, TOKEN);
  const form = new FormData();
  form.append('files', new Blob([xml], { type: 'application/xml' }), 'soak.bpmn');
  const deployed = await fetch(`${urls[0]}/api/deployments`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
  if (deployed.status !== 201) throw new Error(`deploy answered ${deployed.status}: ${await deployed.text()}`);

  const acknowledged = new Set<string>();
  let running = true; // the workload (starts, faults)
  let draining = true; // what finishes the work (task completions)
  const chores: Promise<unknown>[] = [];

  // Starts: RATE a second, at most 16 in flight.
  chores.push((async () => {
    let n = 0;
    let inFlight = 0;
    while (running) {
      if (inFlight < 16) {
        inFlight++;
        const variables = { n: ++n };
        void client.request('POST', '/api/process-instances', { processId: 'soak', variables }).then((res) => {
          inFlight--;
          if (res?.status === 201) acknowledged.add(res.body.id);
        });
      }
      await sleep(1000 / RATE);
    }
  })());

  // The people: complete every open review task over REST.
  chores.push((async () => {
    while (draining) {
      const page = await client.request('GET', '/api/tasks?state=CREATED&limit=100');
      const tasks: { id: string }[] = page?.status === 200 ? page.body.items : [];
      for (let i = 0; i < tasks.length; i += 8) {
        await Promise.all(tasks.slice(i, i + 8).map((t) => client.request('POST', `/api/tasks/${t.id}/complete`, { variables: { reviewed: true } })));
      }
      await sleep(tasks.length > 0 ? 50 : 300);
    }
  })());

  // Health, from outside: it must answer fast and name what is down.
  const health = { slowest: 0, sawPostgresDown: false, sawRedisDown: false };
  const took = (url: string, ms: number) => {
    health.slowest = Math.max(health.slowest, ms);
    if (ms > 2000) log(`/health of ${url} took ${ms} ms`);
  };
  chores.push((async () => {
    while (draining) {
      for (const url of urls) {
        const asked = Date.now();
        try {
          const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
          const body = (await res.json()) as { down?: string[] };
          took(url, Date.now() - asked);
          if (body.down?.includes('postgres')) health.sawPostgresDown = true;
          if (body.down?.includes('redis')) health.sawRedisDown = true;
        } catch (error) {
          if ((error as Error).name === 'TimeoutError') took(url, Date.now() - asked);
        }
      }
      await sleep(500);
    }
  })());

  // Faults.
  const faults: string[] = [];
  const begun = Date.now();
  const at = (fraction: number) => begun + fraction * SECONDS * 1000;
  /** A backing server down for 5 s, then started again. */
  const outage = async (fault: string, name: string, server: { stopServer(): Promise<void>; startServer(): Promise<void> }) => {
    faults.push(fault);
    log(`stopping ${name} for 5 s`);
    await server.stopServer();
    await sleep(5000);
    await server.startServer();
    log(`${name} is back`);
  };
  chores.push((async () => {
    let flushed = false;
    let restarted = false;
    let redisStopped = false;
    let nextKill = Date.now() + KILL_EVERY_MS;
    let turn = 0;
    const kills: Promise<void>[] = [];
    let restarting = false;
    while (running) {
      // One engine serves while the other restarts: on a loaded machine a restart can outlast 20 s, then the next kill waits for it.
      if (Date.now() >= nextKill && !restarting) {
        nextKill = Math.max(nextKill + KILL_EVERY_MS, Date.now() + 1000);
        const engine = engines[turn++ % engines.length];
        restarting = true;
        faults.push(`kill ${engine.name}+workers`);
        log(`SIGKILL ${engine.name} and the worker process`);
        const killed = Date.now();
        kills.push(Promise.all([engine.restart(1000), workers.restart(1000)]).then(() => {
          restarting = false;
          // Each life lasts 20 s at least, so the workers get to work even when restarts are slow.
          nextKill = Math.max(nextKill, Date.now() + KILL_EVERY_MS);
          log(`${engine.name} and the worker process are back after ${((Date.now() - killed) / 1000).toFixed(1)} s`);
        }));
      }
      if (!flushed && Date.now() >= at(0.3)) {
        flushed = true;
        faults.push('flushall');
        log('FLUSHALL on Redis');
        await redis!.client.flushall();
      }
      if (!restarted && Date.now() >= at(0.55)) {
        restarted = true;
        await outage('postgres restart', 'Postgres', postgres!);
      }
      if (!redisStopped && Date.now() >= at(0.75)) {
        redisStopped = true;
        await outage('redis stop', 'Redis', redis!);
      }
      await sleep(100);
    }
    await Promise.all(kills);
  })());

  const progress = setInterval(() => {
    void db.raw(`SELECT count(*) FILTER (WHERE status = 'COMPLETED')::int AS done FROM process_instances`).then(
      ({ rows }) => log(`acknowledged ${acknowledged.size}, completed ${rows[0].done}, server errors ${client.serverErrors + workers.serverErrors().length}, 503s ${client.retryLater}, unanswered ${client.unanswered}`),
      () => undefined,
    );
  }, 30_000);

  await sleep(SECONDS * 1000);
  running = false;
  await chores[0];
  await chores[3];
  log(`workload stopped; draining for up to ${DRAIN_SECONDS} s`);
  const drainUntil = Date.now() + DRAIN_SECONDS * 1000;
  for (;;) {
    const [{ open }] = (await db.raw(`SELECT count(*)::int AS open FROM process_instances WHERE status <> 'COMPLETED'`)).rows;
    if (open === 0 || Date.now() >= drainUntil) break;
    await sleep(1000);
  }
  draining = false;
  clearInterval(progress);
  await Promise.all(chores);
  const endedAt = new Date();

  const figures = await tally(db, acknowledged, endedAt);
  await db.destroy();
  const workerErrors = workers.serverErrors();
  const serverErrors = client.serverErrors + workerErrors.length;
  for (const line of [...client.samples, ...workerErrors.slice(0, 20)]) log(`server error: ${line}`);
  log(`faults: ${faults.join(', ')}`);
  log(`health: slowest answer ${health.slowest} ms; named postgres as down: ${health.sawPostgresDown}, redis: ${health.sawRedisDown}`);
  log(`details: ${JSON.stringify(figures.details)}`);
  const result = {
    seconds: SECONDS,
    started: figures.started,
    completed: figures.completed,
    lost: figures.lost,
    doubled: figures.doubled,
    serverErrors,
    maxStallMs: figures.maxStallMs,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.lost === 0 && result.doubled === 0 && result.serverErrors === 0 ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error) => {
    log(`soak failed: ${error instanceof Error ? error.stack : String(error)}`);
    await cleanUp();
    process.exit(2);
  });
