/**
 * Elements that wait or repeat, on real Postgres and Redis, each across an
 * engine restart and a Redis flush in the middle of waiting: a parallel
 * multi-instance and a standard loop, an event-based gateway whose timer
 * wins, a non-interrupting timer event sub-process, and an error end event
 * caught by an error boundary on its sub-process.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { cleanupPrefix, openTestRedis } from '../support/test-redis.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/elements/${name}`, import.meta.url), 'utf8');

describe('waiting elements across a restart and a Redis flush', () => {
  let t: TestWeft;
  let engine: Weft;
  beforeAll(async () => {
    t = await startTestWeft();
    await t.weft.engine.deploy(
      ['multi-instance.bpmn', 'race.bpmn', 'event-sub-processes.bpmn', 'error-end.bpmn'].map((name) => ({ name, content: fixture(name) })),
      'test',
    );
    engine = t.weft;
  });
  afterAll(async () => {
    if (engine !== t.weft) await engine.close();
    await t?.stop();
  });

  /** Stops the engine, flushes this test's Redis keys, and starts another on the same database. */
  async function restart(): Promise<Weft> {
    await engine.close();
    const redis = openTestRedis();
    await cleanupPrefix(redis, t.config.queuePrefix);
    await redis.quit();
    engine = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false, background: { timerPollMs: 100, redisCheckMs: 200, outboxSweepMs: 200 } });
    return engine;
  }

  async function openTasks(instanceId: string, elementId: string) {
    return engine.db('tasks').where({ process_instance_id: instanceId, element_id: elementId, state: 'CREATED' }).select('id');
  }

  it('a parallel multi-instance waiting on its jobs goes on after a restart, collecting every output, then loops its script', async () => {
    const { id } = await engine.engine.startInstance({ processId: 'it-multi', variables: { items: [1, 2, 3], attempts: 0 } }, 'test');
    expect(await engine.db('jobs').where({ process_instance_id: id, state: 'ACTIVATABLE' }).count('* as n').first()).toEqual({ n: '3' });
    await restart();
    engine.worker('check', (job) => ({ checked: (job.variables as { item: number }).item * 10 }));
    await eventually(async () => (await openTasks(id, 'approve-twice')).length === 1, 15_000);
    expect((await engine.engine.getInstance(id)).variables).toMatchObject({ results: [10, 20, 30] });
    for (let i = 0; i < 2; i++) {
      const [task] = await openTasks(id, 'approve-twice');
      await engine.engine.completeTask(task.id, {}, 'test');
    }
    const done = await engine.engine.getInstance(id);
    expect(done.state).toBe('COMPLETED');
    expect(done.variables).toMatchObject({ attempts: 3 });
  }, 30_000);

  it('an event-based gateway whose timer comes due while no engine runs takes the timer path once', async () => {
    const { id } = await engine.engine.startInstance({ processId: 'it-race', variables: { orderId: 'o-1' } }, 'test');
    expect(await engine.db('message_subscriptions').where({ process_instance_id: id, state: 'OPEN' }).count('* as n').first()).toEqual({ n: '1' });
    await engine.close();
    await new Promise((r) => setTimeout(r, 1200));
    await restart();
    await eventually(async () => (await openTasks(id, 'remind')).length === 1, 10_000);
    expect(await engine.db('message_subscriptions').where({ process_instance_id: id, state: 'OPEN' }).count('* as n').first()).toEqual({ n: '0' });
    expect(await openTasks(id, 'ship')).toEqual([]);
  }, 30_000);

  it('an event-based gateway whose message arrives after a restart takes the message path and withdraws the timer', async () => {
    const { id } = await engine.engine.startInstance({ processId: 'it-race', variables: { orderId: 'o-3' } }, 'test');
    await restart();
    const published = await engine.engine.publishMessage({ name: 'paid', correlationKey: 'o-3', variables: { paidAt: 'now' } }, 'test');
    expect(published.correlated).toMatchObject([{ processInstanceId: id, elementId: 'payment' }]);
    expect((await openTasks(id, 'ship')).length).toBe(1);
    expect(await engine.db('timers').where({ process_instance_id: id, state: 'ACTIVE' }).count('* as n').first()).toEqual({ n: '0' });
    expect((await engine.engine.getInstance(id)).variables).toMatchObject({ paidAt: 'now' });
  }, 30_000);

  it('a non-interrupting timer event sub-process fires its two cycles across a restart, beside the running work', async () => {
    const { id } = await engine.engine.startInstance({ processId: 'it-esp', variables: { orderId: 'o-2' } }, 'test');
    await restart();
    await eventually(async () => Number((await engine.db('jobs').where({ process_instance_id: id, type: 'remind' }).count('* as n').first())!.n) === 2, 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(Number((await engine.db('jobs').where({ process_instance_id: id, type: 'remind' }).count('* as n').first())!.n)).toBe(2);
    expect((await openTasks(id, 'pick')).length).toBe(1);
  }, 30_000);

  it('an error end event in a sub-process is caught by the error boundary of the sub-process', async () => {
    const { id } = await engine.engine.startInstance({ processId: 'it-error-end' }, 'test');
    const [review] = await openTasks(id, 'review');
    await engine.engine.completeTask(review.id, { approved: false }, 'test');
    expect((await openTasks(id, 'notify')).length).toBe(1);
    expect(await engine.db('tasks').where({ process_instance_id: id, element_id: 'audit' }).first('state')).toEqual({ state: 'CANCELED' });
  });
});

describe('elements that throw inside an instance, on real Postgres and Redis', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    await t.weft.engine.deploy(['compensation.bpmn', 'transaction.bpmn', 'links.bpmn', 'escalations.bpmn'].map((name) => ({ name, content: fixture(name) })), 'test');
  });
  afterAll(async () => t?.stop());

  const tasks = (instanceId: string, elementId: string) => t.weft.db('tasks').where({ process_instance_id: instanceId, element_id: elementId, state: 'CREATED' }).select('id');
  const complete = async (instanceId: string, elementId: string, variables = {}) => {
    for (const { id } of await tasks(instanceId, elementId)) await t.weft.engine.completeTask(id, variables, 'test');
  };

  it('compensation runs a handler per completed booking and waits for them before going on', async () => {
    const { id } = await t.weft.engine.startInstance({ processId: 'it-trip', variables: { legs: ['out', 'back'] } }, 'test');
    await complete(id, 'pay', { ok: false, onlyFlights: true });
    expect((await tasks(id, 'cancel-flight')).length).toBe(2);
    await complete(id, 'cancel-flight');
    expect((await tasks(id, 'after-undo')).length).toBe(1);
    expect(await tasks(id, 'cancel-hotel')).toEqual([]);
  });

  it('a transaction canceled by its cancel end event is compensated, then leaves by its cancel boundary', async () => {
    const { id } = await t.weft.engine.startInstance({ processId: 'it-booking' }, 'test');
    await complete(id, 'ask', { answer: 'no' });
    expect((await tasks(id, 'release')).length).toBe(1);
    await complete(id, 'release');
    const audit = await t.weft.db('audit').where({ process_instance_id: id }).whereIn('type', ['TRANSACTION_CANCELED', 'INSTANCE_COMPLETED']).orderBy('id').pluck('type');
    expect(audit).toEqual(['TRANSACTION_CANCELED', 'INSTANCE_COMPLETED']);
  });

  it('a link throw event continues at its link catch event', async () => {
    const { id } = await t.weft.engine.startInstance({ processId: 'it-links' }, 'test');
    await complete(id, 'first');
    expect((await tasks(id, 'second')).length).toBe(1);
  });

  it('a non-interrupting escalation starts its path beside the sub-process, which goes on', async () => {
    const { id } = await t.weft.engine.startInstance({ processId: 'it-escalations' }, 'test');
    await complete(id, 'amount', { amount: 50 });
    expect((await tasks(id, 'inform')).length).toBe(1);
    expect((await tasks(id, 'place')).length).toBe(1);
  });
});
