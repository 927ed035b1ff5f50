/**
 * Fail loudly, lose nothing: engine and worker processes die at the worst
 * moments, and every instance still completes with no job completed twice.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { spawnEngine, type EngineProcess } from '../support/spawn-engine.js';

const threeTasks = readFileSync(new URL('../../bench/three-tasks.bpmn', import.meta.url), 'utf8');
const TYPES = 'bench-1,bench-2,bench-3';

let t: TestWeft | undefined;
const children: EngineProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await t?.stop();
  t = undefined;
});

function childEnv(t: TestWeft, extra: Record<string, string>): Record<string, string> {
  return { DATABASE_URL: t.config.databaseUrl, REDIS_URL: t.config.redisUrl, WEFT_QUEUE_PREFIX: t.config.queuePrefix, ...extra };
}

/** Every instance COMPLETED, and each job completed exactly once in the audit. */
async function expectAllCompletedOnce(t: TestWeft, instances: number) {
  await eventually(async () => {
    const [{ count }] = await t.weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
    return Number(count) === instances;
  }, 60_000);
  const jobs = await t.weft.db('jobs').select('key', 'state');
  expect(jobs.length).toBe(instances * 3);
  expect(jobs.every((j) => j.state === 'COMPLETED')).toBe(true);
  const completions = await t.weft.db('audit').where({ type: 'JOB_COMPLETED' }).select('payload');
  const perJob = new Map<string, number>();
  for (const c of completions) perJob.set(c.payload.jobKey, (perJob.get(c.payload.jobKey) ?? 0) + 1);
  expect(perJob.size).toBe(instances * 3);
  expect([...perJob.values()].every((n) => n === 1)).toBe(true);
}

describe('crash recovery', () => {
  it('a worker process killed mid-job: the job is handed out again after its timeout and completes once', async () => {
    // given an engine without workers, and a worker process that hangs in every job
    t = await startTestWeft();
    await t.weft.engine.deploy([{ name: 'three-tasks.bpmn', content: threeTasks }], 'test');
    const doomed = spawnEngine(childEnv(t, { WORKER_TYPES: TYPES, WORKER_HANG: '1', JOB_TIMEOUT_MS: '1500', LOCK_MS: '1500' }));
    children.push(doomed);
    await doomed.waitFor(/ready/);
    for (let i = 0; i < 5; i++) await t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test');
    await doomed.waitFor(/working bench-1/);

    // when the worker process is killed mid-job and a healthy worker takes over
    doomed.kill('SIGKILL');
    await doomed.exited;
    const healthy = spawnEngine(childEnv(t, { WORKER_TYPES: TYPES, JOB_TIMEOUT_MS: '1500', LOCK_MS: '1500' }));
    children.push(healthy);

    // then every instance completes, each job once
    await expectAllCompletedOnce(t, 5);
  }, 120_000);

  it('an engine killed between commit and enqueue: the outbox is relayed after restart', async () => {
    // given an engine process that dies right after its first commit with outbox rows
    t = await startTestWeft({ background: false });
    await t.weft.engine.deploy([{ name: 'three-tasks.bpmn', content: threeTasks }], 'test');
    const doomed = spawnEngine(childEnv(t, { START_PROCESS: 'bench-three-tasks', START_COUNT: '3', CRASH_AFTER_COMMIT: '1' }));
    children.push(doomed);
    expect(await doomed.exited).toBe('SIGKILL');
    const stranded = await t.weft.db('outbox').count({ count: '*' });
    expect(Number(stranded[0].count)).toBeGreaterThan(0);

    // when an engine starts again (with workers)
    const restarted = spawnEngine(childEnv(t, { WORKER_TYPES: TYPES }));
    children.push(restarted);

    // then the stranded work is delivered and every committed instance completes once
    const committed = Number((await t.weft.db('process_instances').count({ count: '*' }))[0].count);
    expect(committed).toBeGreaterThan(0);
    await expectAllCompletedOnce(t, committed);
    await eventually(async () => Number((await t!.weft.db('outbox').count({ count: '*' }))[0].count) === 0);
  }, 120_000);
});
