/**
 * A separate engine process for crash and multi-engine tests, driven by the
 * environment:
 *
 *   DATABASE_URL, REDIS_URL, WEFT_QUEUE_PREFIX   where to run
 *   WORKER_TYPES      comma-separated job types to work (handler returns {<type>: true})
 *   WORKER_HANG       "1": handlers never return (to be killed mid-job)
 *   JOB_TIMEOUT_MS    how long a job stays with this worker before it is handed out again
 *   LOCK_MS           BullMQ lock: how soon messages held by a dead worker are delivered again
 *   START_PROCESS, START_COUNT   start that many instances of that process id
 *   CRASH_AFTER_COMMIT  "1": SIGKILL itself after the first commit that wrote outbox rows, before relaying them
 *   WEFT_TEST_PAUSE_IN_GROUP_COMMIT  <n>: the first group commit of n commands or more stops after its statements
 *                     ran, before COMMIT, prints "paused in group commit (<n> commands) <GroupCommit as JSON>" and
 *                     stays there (to be SIGKILLed); the other batches go on
 *   HTTP_PORT         serve the REST API on this port (admin token "child-admin-token"); none when unset
 *   LOG_LEVEL         the engine's log level, to stderr (default silent)
 *
 * Prints "ready" once workers are up (and the API listens), "started <n>" after starting instances.
 */
import { pino } from 'pino';
import { startWeft } from '../../engine/weft.js';
import type { GroupCommit } from '../../engine/service/engine-service.js';

const env = process.env;
const crash = env.CRASH_AFTER_COMMIT === '1';
const pauseAt = Number(env.WEFT_TEST_PAUSE_IN_GROUP_COMMIT ?? 0);
let paused = false;

/** Holds the first group commit of `pauseAt` commands or more open forever: the test kills the process inside it. */
async function pauseInGroupCommit(batch: GroupCommit): Promise<void> {
  if (paused || batch.commands < pauseAt) return;
  paused = true;
  console.log(`paused in group commit (${batch.commands} commands) ${JSON.stringify(batch)}`);
  await new Promise(() => undefined);
}

const weft = await startWeft({
  config: {
    databaseUrl: env.DATABASE_URL!,
    redisUrl: env.REDIS_URL!,
    queuePrefix: env.WEFT_QUEUE_PREFIX!,
    adminToken: 'child-admin-token',
    logLevel: 'silent',
    port: Number(env.HTTP_PORT ?? 0),
  },
  logger: pino({ level: env.LOG_LEVEL ?? 'silent' }, pino.destination(2)),
  http: env.HTTP_PORT !== undefined,
  migrate: false,
  background: { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000, timerPollMs: 100, messageSweepMs: 500 },
  afterCommit: crash ? () => process.kill(process.pid, 'SIGKILL') : undefined,
  inGroupCommit: pauseAt > 0 ? pauseInGroupCommit : undefined,
});

for (const type of (env.WORKER_TYPES ?? '').split(',').filter(Boolean)) {
  weft.worker(
    type,
    async () => {
      console.log(`working ${type}`);
      if (env.WORKER_HANG === '1') await new Promise(() => undefined);
      return { [type]: true };
    },
    { timeoutMs: Number(env.JOB_TIMEOUT_MS ?? 30_000), lockDurationMs: Number(env.LOCK_MS ?? 5000), concurrency: 20 },
  );
}
console.log('ready');

if (env.START_PROCESS) {
  const count = Number(env.START_COUNT ?? 1);
  let started = 0;
  const lanes = Array.from({ length: Math.min(count, 16) }, async () => {
    while (started < count) {
      started++;
      await weft.engine.startInstance({ processId: env.START_PROCESS! }, 'child');
    }
  });
  await Promise.all(lanes);
  console.log(`started ${count}`);
}
