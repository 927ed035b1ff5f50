/**
 * Every message wait state — a receive task, its interrupting and
 * non-interrupting boundary events, a message catch event — survives the
 * engine stopping in the middle of the wait, and Redis losing everything;
 * a buffered message survives an engine killed between the commit that
 * opened a subscription and the pass that would have handed it over.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { spawnEngine } from '../support/spawn-engine.js';

const xml = (name: string) => readFileSync(new URL(`../fixtures/integration/messages/${name}`, import.meta.url), 'utf8');
const BACKGROUND = { outboxSweepMs: 200, timeoutSweepMs: 200, redisCheckMs: 200, missingCheckMs: 1000, messageSweepMs: 300 };

describe('message waits survive', () => {
  const stops: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });

  const restart = async (t: TestWeft): Promise<Weft> => {
    const next = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), http: false, migrate: false, background: BACKGROUND });
    stops.push(() => next.close());
    return next;
  };
  const subscriptions = async (db: Weft['db'], id: string) =>
    (await db('message_subscriptions').where({ process_instance_id: id }).orderBy(['element_id', 'created_at'])).map((s) => `${s.element_id}:${s.state}`);

  it('an engine restart in the middle of every message wait', async () => {
    // given an instance waiting at a receive task with two message boundary events, on an engine that then stops
    const t = await startTestWeft();
    stops.push(() => t.stop());
    await t.weft.engine.deploy([{ name: 'waits-for-messages.bpmn', content: xml('waits-for-messages.bpmn') }], 'test');
    const { id } = await t.weft.engine.startInstance({ processId: 'waits-for-messages', variables: { orderId: 'o-r' } }, 'test');
    await t.weft.close();

    // when a new engine publishes a reminder (non-interrupting boundary) and the payment (receive task)
    const second = await restart(t);
    const reminded: string[] = [];
    second.worker('send-reminder', (job) => (reminded.push(job.processInstanceId), {}));
    expect((await second.engine.publishMessage({ name: 'reminder', correlationKey: 'o-r' }, 'test')).correlated).toHaveLength(1);
    await eventually(async () => reminded.length === 1);
    expect((await second.engine.publishMessage({ name: 'payment', correlationKey: 'o-r', variables: { paid: 10 } }, 'test')).correlated).toMatchObject([{ elementId: 'await-payment' }]);
    expect(await subscriptions(second.db, id)).toEqual(['await-payment:CORRELATED', 'await-shipment:OPEN', 'cancel-request:CLOSED', 'reminder:CLOSED']);
    await second.close();

    // and a third engine publishes the shipment (message catch event) after the second stopped there
    const third = await restart(t);
    third.worker('notify', () => ({ notified: true }));
    expect((await third.engine.publishMessage({ name: 'shipment', correlationKey: 'o-r' }, 'test')).correlated).toMatchObject([{ elementId: 'await-shipment' }]);

    // then the instance completes with every message's variables, each message taken once
    const done = await eventually(async () => {
      const detail = await third.engine.getInstance(id);
      return detail.state === 'COMPLETED' && detail;
    });
    expect(done.variables).toMatchObject({ orderId: 'o-r', paid: 10, notified: true });
    expect(reminded).toEqual([id]);
    expect(await third.db('audit').where({ process_instance_id: id, type: 'MESSAGE_CORRELATED' })).toHaveLength(3);
  }, 60_000);

  it('Redis flushed while instances wait for messages', async () => {
    // given instances waiting at the receive task, on an engine with a Redis of its own
    const redis: PrivateRedis = await startPrivateRedis();
    stops.push(() => redis.stop());
    const t = await startTestWeft({}, { redisUrl: redis.url });
    stops.push(() => t.stop());
    await t.weft.engine.deploy([{ name: 'waits-for-messages.bpmn', content: xml('waits-for-messages.bpmn') }], 'test');
    const ids = await Promise.all(['o-1', 'o-2', 'o-3'].map(async (orderId) => (await t.weft.engine.startInstance({ processId: 'waits-for-messages', variables: { orderId } }, 'test')).id));
    let notified = 0;
    t.weft.worker('notify', async () => (notified++, { notified: true }));
    // and a reminder's job queued in Redis for a worker that is not there yet
    await t.weft.engine.publishMessage({ name: 'reminder', correlationKey: 'o-1' }, 'test');

    // when Redis loses everything, and then the messages (and the reminder's worker) arrive
    await redis.client.flushall();
    let reminded = 0;
    t.weft.worker('send-reminder', async () => (reminded++, {}));
    for (const orderId of ['o-1', 'o-2', 'o-3']) {
      await t.weft.engine.publishMessage({ name: 'payment', correlationKey: orderId }, 'test');
      await t.weft.engine.publishMessage({ name: 'shipment', correlationKey: orderId }, 'test');
    }

    // then every instance completes, each notification job worked once
    await eventually(async () => {
      const rows = await t.weft.db('process_instances').whereIn('id', ids).where({ status: 'COMPLETED' });
      return rows.length === 3;
    }, 30_000);
    expect(notified).toBe(3);
    // the reminder's job, lost with Redis, was re-driven from Postgres
    await eventually(async () => reminded === 1, 15_000);
  }, 60_000);

  it('a buffered message reaches a subscription whose engine was killed before handing it over', async () => {
    // given a message buffered for a subscription that does not exist yet
    const t = await startTestWeft({ background: false });
    stops.push(() => t.stop());
    await t.weft.engine.deploy([{ name: 'subscribe-with-job.bpmn', content: xml('subscribe-with-job.bpmn') }], 'test');
    const message = await t.weft.engine.publishMessage({ name: 'go-crash', correlationKey: 'crash-key', variables: { went: true }, timeToLiveMs: 60_000 }, 'test');
    expect(message.buffered).toBe(true);

    // when an engine opens the subscription and is killed right after that commit
    const child = spawnEngine({
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      WEFT_QUEUE_PREFIX: t.config.queuePrefix,
      START_PROCESS: 'subscribe-with-job',
      CRASH_AFTER_COMMIT: '1',
    });
    stops.push(async () => child.kill());
    expect(await child.exited).toBe('SIGKILL');
    const [instance] = await t.weft.db('process_instances').where({ process_id: 'subscribe-with-job' });
    expect(await subscriptions(t.weft.db, instance.id)).toEqual(['wait-go:OPEN']);

    // then the next engine's sweep hands it over, once
    const next = await restart(t);
    await eventually(async () => (await subscriptions(next.db, instance.id)).join() === 'wait-go:CORRELATED', 15_000);
    const correlations = await next.db('audit').where({ process_instance_id: instance.id, type: 'MESSAGE_CORRELATED' });
    expect(correlations.map((c) => c.payload)).toMatchObject([{ messageKey: message.messageKey, variables: { went: true } }]);
    expect(correlations[0].actor).toBe('test');
  }, 60_000);
});
