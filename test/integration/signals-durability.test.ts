/**
 * A signal wait is a subscription row and a broadcast is a row, in
 * Postgres: an engine that stops while instances wait leaves them to the
 * next one, and a broadcast an engine wrote but never delivered (it stopped
 * between the commit and the delivery) is delivered by another engine's
 * sweep, once. A Redis that loses everything during the wait:
 * redis-loss.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { spawnEngine, type EngineProcess } from '../support/spawn-engine.js';
import { ALL_CATCHERS, receivedBy, signalFixture as fixture, startWaiting } from '../fixtures/integration/signals/catchers.js';

describe('signal waits across an engine restart, and broadcasts left behind', () => {
  // The tests run in order: the first leaves `second` running for the others.
  let t: TestWeft;
  let second: Weft | undefined;
  const children: EngineProcess[] = [];
  beforeAll(async () => {
    t = await startTestWeft();
    for (const name of ['waits-for-signal.bpmn', 'started-by-go.bpmn', 'pause-for-signal.bpmn', 'throw-then-work.bpmn']) {
      await t.weft.engine.deploy([{ name, content: fixture(name) }], 'test');
    }
  });
  afterAll(async () => {
    for (const child of children) child.kill();
    await second?.close();
    await t?.stop();
  });

  it('every kind of catcher gets a signal broadcast after a restart, once, and what follows it runs', async () => {
    // given instances waiting for `resume` in every kind of catcher, on an engine that then stops
    const waiting = await startWaiting(t.weft, 'resume', 2);
    const pause = await t.weft.engine.startInstance({ processId: 'it-signal-pause', variables: { signal: 'resume', afterType: 'it-signal-after-restart' } }, 'test');
    await t.weft.close();

    // when another engine broadcasts `resume`
    second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false, background: { outboxSweepMs: 200, timerPollMs: 100 } });
    let worked = 0;
    second.worker('it-signal-after-restart', () => {
      worked++;
      return { worked: true };
    });
    const result = await second.engine.broadcastSignal({ name: 'resume' }, 'test');

    // then each catcher got it once, and the work after the catch event was done once
    expect(result.delivered).toBe(2 * ALL_CATCHERS.length + 1);
    for (const id of waiting) expect(await receivedBy(second.db, id, result.signalKey)).toEqual(ALL_CATCHERS);
    await eventually(async () => (await second!.engine.getInstance(pause.id)).state === 'COMPLETED');
    expect(worked).toBe(1);
  }, 40_000);

  it('a broadcast written but never delivered is delivered by the sweep, once', async () => {
    // given instances waiting for `go`, and a broadcast of `go` that an engine wrote a minute ago and never delivered
    const waiting = await startWaiting(second!, 'go', 2);
    const key = randomUUID();
    await second!.db('signal_broadcasts').insert({ key, name: 'go', variables: JSON.stringify({ from: 'left behind' }), source_instance_id: null, created_at: new Date(Date.now() - 60_000) });

    // then the sweep delivers it to every catcher and starts the signal start event's process
    for (const id of waiting) await eventually(async () => (await receivedBy(second!.db, id, key)).length === ALL_CATCHERS.length);
    const startedBy = () => second!.db('audit').where({ type: 'SIGNAL_RECEIVED', element_id: 'on-go' }).whereRaw("payload->>'signalKey' = ?", [key]).select('process_instance_id');
    await eventually(async () => (await startedBy()).length === 1);
    expect((await second!.engine.getInstance(waiting[0])).variables).toMatchObject({ from: 'left behind' });
    // and once only: sweeps after it find nothing
    expect(await second!.db('signal_broadcasts').where({ key })).toEqual([]);
    await new Promise((r) => setTimeout(r, 2500));
    for (const id of waiting) expect(await receivedBy(second!.db, id, key)).toEqual(ALL_CATCHERS);
    expect(await startedBy()).toHaveLength(1);
  }, 40_000);

  it('an engine killed between the commit that threw a signal and its delivery: another engine delivers it, once', async () => {
    // given instances waiting for `crash-go`, and a worker for what the thrower does next
    const waiting = await startWaiting(second!, 'crash-go', 2);
    let worked = 0;
    second!.worker('it-after-throw', () => {
      worked++;
      return {};
    });

    // when an engine process starts an instance that throws `crash-go`, and dies right after the commit
    const env = { DATABASE_URL: t.config.databaseUrl, REDIS_URL: t.config.redisUrl, WEFT_QUEUE_PREFIX: t.config.queuePrefix };
    const doomed = spawnEngine({ ...env, START_PROCESS: 'it-throw-then-work', START_COUNT: '1', CRASH_AFTER_COMMIT: '1' });
    children.push(doomed);
    expect(await doomed.exited).toBe('SIGKILL');
    const thrower = await second!.db('process_instances').where({ process_id: 'it-throw-then-work' }).first('id');
    const [left] = await second!.db('signal_broadcasts').where({ name: 'crash-go' }).select('key', 'source_instance_id');
    expect(left.source_instance_id).toBe(thrower.id);

    // then the running engine's sweep delivers it to every catcher once, and the thrower goes on
    for (const id of waiting) await eventually(async () => (await receivedBy(second!.db, id, left.key)).length === ALL_CATCHERS.length);
    await eventually(async () => (await second!.engine.getInstance(thrower.id)).state === 'COMPLETED');
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of waiting) expect(await receivedBy(second!.db, id, left.key)).toEqual(ALL_CATCHERS);
    expect(worked).toBe(1);
    expect(await second!.db('signal_broadcasts').count('* as n').first()).toEqual({ n: '0' });
  }, 60_000);
});
