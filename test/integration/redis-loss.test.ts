/**
 * Redis is a delivery mechanism, not the truth: when it loses everything in
 * the middle of a run (FLUSHALL), the engine re-drives the work from Postgres;
 * timers and signal subscriptions live only in Postgres and fire as if
 * nothing had happened.
 * Runs against a Redis server of its own, so the flush touches no other test.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';

const threeTasks = readFileSync(new URL('../../bench/three-tasks.bpmn', import.meta.url), 'utf8');
const pause = readFileSync(new URL('../fixtures/integration/timers/pause.bpmn', import.meta.url), 'utf8');
const pauseForSignal = readFileSync(new URL('../fixtures/integration/signals/pause-for-signal.bpmn', import.meta.url), 'utf8');
const INSTANCES = 60;

describe('Redis FLUSHALL in the middle of a run', () => {
  let redis: PrivateRedis;
  let t: TestWeft;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestWeft({}, { redisUrl: redis.url });
  });
  afterAll(async () => {
    await t?.stop();
    await redis?.stop();
  });

  it('every instance still completes, each job once', async () => {
    // given slow workers, so that work is queued in Redis when it is flushed
    let worked = 0;
    for (const type of ['bench-1', 'bench-2', 'bench-3']) {
      t.weft.worker(type, async () => {
        worked++;
        await new Promise((r) => setTimeout(r, 20));
        return { [type]: true };
      }, { concurrency: 2, timeoutMs: 2000, lockDurationMs: 2000 });
    }
    await t.weft.engine.deploy([{ name: 'three-tasks.bpmn', content: threeTasks }], 'test');
    for (let i = 0; i < INSTANCES; i++) await t.weft.engine.startInstance({ processId: 'bench-three-tasks' }, 'test');

    // when Redis loses everything mid-run
    await eventually(async () => worked >= 20);
    await redis.client.flushall();

    // then every instance completes, and each job was completed exactly once
    await eventually(async () => {
      const [{ count }] = await t.weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
      return Number(count) === INSTANCES;
    }, 60_000);
    const completions = await t.weft.db('audit').where({ type: 'JOB_COMPLETED' }).select('payload');
    const keys = completions.map((c) => c.payload.jobKey);
    expect(keys.length).toBe(INSTANCES * 3);
    expect(new Set(keys).size).toBe(INSTANCES * 3);
  }, 90_000);

  it('an instance waiting on a timer during the flush moves on when it is due, and the work after it is done once', async () => {
    // given an instance waiting two seconds, and a worker for what follows
    let worked = 0;
    t.weft.worker('it-flush-after', () => {
      worked++;
      return { worked: true };
    });
    await t.weft.engine.deploy([{ name: 'pause.bpmn', content: pause }], 'test');
    const { id } = await t.weft.engine.startInstance({ processId: 'it-pause', variables: { wait: 'PT2S', afterType: 'it-flush-after' } }, 'test');

    // when Redis loses everything during the wait
    await redis.client.flushall();

    // then the timer fires once and the job after it is worked once
    await eventually(async () => (await t.weft.engine.getInstance(id)).state === 'COMPLETED', 20_000);
    expect(await t.weft.db('audit').where({ process_instance_id: id, type: 'TIMER_FIRED' })).toHaveLength(1);
    expect(worked).toBe(1);
  }, 40_000);

  it('an instance waiting for a signal during the flush gets it when it is broadcast, and the work after it is done once', async () => {
    // given an instance waiting for `after-flush`, and a worker for what follows
    let worked = 0;
    t.weft.worker('it-signal-flush-after', () => {
      worked++;
      return { worked: true };
    });
    await t.weft.engine.deploy([{ name: 'pause-for-signal.bpmn', content: pauseForSignal }], 'test');
    const { id } = await t.weft.engine.startInstance({ processId: 'it-signal-pause', variables: { signal: 'after-flush', afterType: 'it-signal-flush-after' } }, 'test');

    // when Redis loses everything during the wait, and the signal is broadcast
    await redis.client.flushall();
    const result = await t.weft.engine.broadcastSignal({ name: 'after-flush' }, 'test');

    // then the catch event got it, and the job after it is worked once
    expect(result.delivered).toBe(1);
    await eventually(async () => (await t.weft.engine.getInstance(id)).state === 'COMPLETED', 20_000);
    expect(worked).toBe(1);
  }, 40_000);
});
