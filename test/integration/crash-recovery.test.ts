/**
 * Fail loudly, lose nothing: engine and worker processes die at the worst
 * moments, and every instance still completes with no job completed twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/test-weft.js';
import { endCrashTest, expectAllCompletedOnce, spawnChild, startCrashTest, THREE_TASK_TYPES } from '../support/crash-recovery.js';

afterEach(endCrashTest);

describe('crash recovery', () => {
  it('a worker process killed mid-job: the job is handed out again after its timeout and completes once', async () => {
    // given an engine without workers, and a worker process that hangs in every job
    const t = await startCrashTest();
    const doomed = spawnChild({ WORKER_TYPES: THREE_TASK_TYPES, WORKER_HANG: '1', JOB_TIMEOUT_MS: '1500', LOCK_MS: '1500' });
    await doomed.waitFor(/ready/);
    for (let i = 0; i < 5; i++) await t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test');
    await doomed.waitFor(/working bench-1/);

    // when the worker process is killed mid-job and a healthy worker takes over
    doomed.kill('SIGKILL');
    await doomed.exited;
    spawnChild({ WORKER_TYPES: THREE_TASK_TYPES, JOB_TIMEOUT_MS: '1500', LOCK_MS: '1500' });

    // then every instance completes, each job once
    await expectAllCompletedOnce(t, 5);
  }, 120_000);

  it('an engine killed between commit and enqueue: the outbox is relayed after restart', async () => {
    // given an engine process that dies right after its first commit with outbox rows
    const t = await startCrashTest({ background: false });
    const doomed = spawnChild({ START_PROCESS: 'bench-three-tasks', START_COUNT: '3', CRASH_AFTER_COMMIT: '1' });
    expect(await doomed.exited).toBe('SIGKILL');
    const stranded = await t.weft.db('outbox').count({ count: '*' });
    expect(Number(stranded[0].count)).toBeGreaterThan(0);

    // when an engine starts again (with workers)
    spawnChild({ WORKER_TYPES: THREE_TASK_TYPES });

    // then the stranded work is delivered and every committed instance completes once
    const committed = Number((await t.weft.db('process_instances').count({ count: '*' }))[0].count);
    expect(committed).toBeGreaterThan(0);
    await expectAllCompletedOnce(t, committed);
    await eventually(async () => Number((await t.weft.db('outbox').count({ count: '*' }))[0].count) === 0);
  }, 120_000);
});
