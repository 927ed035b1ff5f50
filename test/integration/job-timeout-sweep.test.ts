/**
 * The timeout sweep (Redriver.requeueTimedOut) against a late worker's
 * completion: a job whose deadline passed may still be completed, and a
 * completion that holds the job's row when the sweep comes must win.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupCommit } from '../../engine/service/engine-service.js';
import { eventually } from '../support/test-weft.js';
import { endCrashTest, startCrashTest } from '../support/crash-recovery.js';

afterEach(endCrashTest);

describe('the job timeout sweep', () => {
  it('leaves jobs completed whose late completion held them, inside its group commit, while the sweep ran', async () => {
    // given two jobs whose late worker's completions are held inside their group commit (the hook holds it before COMMIT)
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const holdCompletions = async (batch: GroupCommit) => {
      if (batch.kind !== 'jobs') return;
      held = true;
      await released;
    };
    const t = await startCrashTest({ background: false, inGroupCommit: holdCompletions });
    for (let i = 0; i < 2; i++) await t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test');
    const jobs = await t.weft.engine.activateJobs({ type: 'bench-1', maxJobs: 2, workerId: 'late', timeoutMs: 1 });
    expect(jobs).toHaveLength(2);
    const db = t.weft.db;
    await eventually(async () => Number((await db('jobs').where('deadline', '<', db.fn.now()).count({ count: '*' }))[0].count) === 2);
    const completions = Promise.all(jobs.map((job) => t.weft.engine.completeJob(job.key, {}, 'late')));
    await eventually(async () => held);

    // when the sweep runs meanwhile (its update waits for the held rows, or passes them by) and the commit then goes through
    let swept = false;
    const sweep = t.weft.redriver.requeueTimedOut().finally(() => (swept = true));
    const waitingForLock = `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'update "jobs"%'`;
    await eventually(async () => swept || (await db.raw(waitingForLock)).rows.length > 0);
    release();
    expect(await completions).toEqual([{ duplicate: false }, { duplicate: false }]);

    // then the completed jobs stay completed, and the sweep handed none out again
    const requeued = await sweep;
    expect(await db('jobs').whereIn('key', jobs.map((j) => j.key)).pluck('state')).toEqual(['COMPLETED', 'COMPLETED']);
    expect(requeued).toBe(0);
  });
});
