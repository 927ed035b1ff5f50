/**
 * Completions that arrive together are carried by one transaction (the
 * batched write path): concurrent completions of sibling branches, and a
 * duplicate of every completion in the same burst, still give exactly one
 * completion per job and one join per instance.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const parallel = readFileSync(new URL('../fixtures/engine/parallel-two-jobs.bpmn', import.meta.url), 'utf8');
const INSTANCES = 20;

describe('a burst of concurrent and duplicate completions', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    await t.weft.engine.deploy([{ name: 'parallel-two-jobs.bpmn', content: parallel }], 'test');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('completes each job once, answers every second completion as a duplicate, and joins once per instance', async () => {
    // given 20 instances, each with two branch jobs activated
    const started = await Promise.all(Array.from({ length: INSTANCES }, () => t.weft.engine.startInstance({ processId: 'parallel-two-jobs' }, 'test')));
    const a = await t.weft.engine.activateJobs({ type: 'branch-a', maxJobs: 100, workerId: 'w', timeoutMs: 60_000 });
    const b = await t.weft.engine.activateJobs({ type: 'branch-b', maxJobs: 100, workerId: 'w', timeoutMs: 60_000 });
    const jobs = [...a, ...b];
    expect(jobs).toHaveLength(2 * INSTANCES);

    // when every job is completed twice, all in one burst
    const answers = await Promise.all(jobs.flatMap((job) => [0, 1].map(() => t.weft.engine.completeJob(job.key, { [job.type]: true }, 'test'))));

    // then
    expect(answers.filter((r) => !r.duplicate)).toHaveLength(2 * INSTANCES);
    expect(answers.filter((r) => r.duplicate)).toHaveLength(2 * INSTANCES);
    await eventually(async () => {
      const [{ count }] = await t.weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
      return Number(count) === INSTANCES;
    });
    const completions = await t.weft.db('audit').where({ type: 'JOB_COMPLETED' }).select('payload');
    expect(new Set(completions.map((c) => c.payload.jobKey)).size).toBe(completions.length);
    const joins = await t.weft.db('audit').where({ type: 'ELEMENT_COMPLETED', element_id: 'join' }).count({ count: '*' });
    expect(Number(joins[0].count)).toBe(INSTANCES);
    for (const { id } of started) {
      const detail = await t.weft.engine.getInstance(id);
      expect(detail.variables).toEqual({ 'branch-a': true, 'branch-b': true });
    }
  });

  it('completions of different instances in one burst are written together: each keeps its actor, its variables and an unbroken audit chain', async () => {
    // given 20 instances, each with its two branch jobs activated
    const started = await Promise.all(Array.from({ length: INSTANCES }, () => t.weft.engine.startInstance({ processId: 'parallel-two-jobs' }, 'test')));
    const ids = started.map((s) => s.id);
    const mine = <J extends { processInstanceId: string }>(jobs: J[]) => jobs.filter((j) => ids.includes(j.processInstanceId));
    const a = mine(await t.weft.engine.activateJobs({ type: 'branch-a', maxJobs: 100, workerId: 'w', timeoutMs: 60_000 }));
    const b = mine(await t.weft.engine.activateJobs({ type: 'branch-b', maxJobs: 100, workerId: 'w', timeoutMs: 60_000 }));
    expect(a).toHaveLength(INSTANCES);

    // when one branch job of every instance is completed in one burst, each by a worker of its own
    const answers = await Promise.all(a.map((job, i) => t.weft.engine.completeJob(job.key, { seen: i }, `worker-${i}`)));
    expect(answers.every((r) => !r.duplicate)).toBe(true);

    // then they went to Postgres together (one transaction has one clock), each under its own name
    const recorded = await t.weft.db('audit').whereIn('process_instance_id', ids).where({ type: 'JOB_COMPLETED' }).select('actor', 'at', 'payload');
    expect(new Set(recorded.map((r) => new Date(r.at).getTime())).size).toBeLessThan(INSTANCES);
    const actorOf = new Map(recorded.map((r) => [r.payload.jobKey, r.actor]));
    a.forEach((job, i) => expect(actorOf.get(job.key)).toBe(`worker-${i}`));
    // each instance row took its own state once
    for (const [i, job] of a.entries()) {
      const row = await t.weft.db('process_instances').where({ id: job.processInstanceId }).first('status');
      expect(row.status).toBe('ACTIVE');
      expect((await t.weft.engine.getInstance(job.processInstanceId)).variables).toEqual({ seen: i });
    }

    // and, once the other branches complete, every instance ends once with a chain that verifies
    await Promise.all(b.map((job) => t.weft.engine.completeJob(job.key, {}, 'w')));
    for (const id of ids) {
      await eventually(async () => (await t.weft.engine.getInstance(id)).state === 'COMPLETED' || undefined);
      const verdict = await t.api.get(`/api/process-instances/${id}/audit/verify`);
      expect(verdict.body).toMatchObject({ valid: true });
    }
  });
});
