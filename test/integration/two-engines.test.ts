/**
 * Several engine processes run side by side against one Postgres and Redis,
 * with no leader: 1,000 parallel-gateway instances started across two engine
 * processes all complete exactly once.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { spawnEngine, type EngineProcess } from '../support/spawn-engine.js';

const parallel = readFileSync(new URL('../fixtures/engine/parallel-two-jobs.bpmn', import.meta.url), 'utf8');
const PER_ENGINE = 500;

describe('two engine processes on the same database', () => {
  let t: TestWeft;
  const engines: EngineProcess[] = [];
  beforeAll(async () => {
    t = await startTestWeft({ background: false });
    await t.weft.engine.deploy([{ name: 'parallel-two-jobs.bpmn', content: parallel }], 'test');
  });
  afterAll(async () => {
    for (const e of engines) e.kill();
    await t?.stop();
  });

  it('1,000 parallel-gateway instances complete exactly once', async () => {
    // given two engine processes, each working both branch types and starting 500 instances
    const env = {
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      WEFT_QUEUE_PREFIX: t.config.queuePrefix,
      WORKER_TYPES: 'branch-a,branch-b',
      START_PROCESS: 'parallel-two-jobs',
      START_COUNT: String(PER_ENGINE),
    };
    engines.push(spawnEngine(env), spawnEngine(env));

    // when both have run
    await Promise.all(engines.map((e) => e.waitFor(/started/, 60_000)));
    await eventually(async () => {
      const [{ count }] = await t.weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
      return Number(count) === 2 * PER_ENGINE;
    }, 60_000, 200);

    // then each instance completed once, each join fired once, each job completed once
    const ended = await t.weft.db('audit').where({ type: 'INSTANCE_COMPLETED' }).count({ count: '*' });
    expect(Number(ended[0].count)).toBe(2 * PER_ENGINE);
    const joins = await t.weft.db('audit').where({ type: 'ELEMENT_COMPLETED', element_id: 'join' }).select('process_instance_id');
    expect(joins.length).toBe(2 * PER_ENGINE);
    expect(new Set(joins.map((j) => j.process_instance_id)).size).toBe(2 * PER_ENGINE);
    const completions = await t.weft.db('audit').where({ type: 'JOB_COMPLETED' }).select('payload');
    expect(completions.length).toBe(4 * PER_ENGINE);
    expect(new Set(completions.map((c) => c.payload.jobKey)).size).toBe(4 * PER_ENGINE);
    const workedBy = await t.weft.db('jobs').distinct('worker_id');
    const processes = new Set(workedBy.map((w) => w.worker_id.split(':')[1]));
    expect(processes.size).toBe(2); // both engine processes' workers took part
  }, 120_000);
});
