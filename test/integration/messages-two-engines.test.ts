/**
 * Two engine processes and 8 concurrent publishers racing: 1,000 instances,
 * each waiting for the message with its own key. Half wait before the
 * messages come; half are started while they are published (the message is
 * buffered, or it finds the subscription). Every message is published to
 * both engines at once under one messageId. Every instance gets exactly its
 * message — never lost, never twice — and each pair of publishes delivers once.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool } from '../../bench/stats.js';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { publishTo, startHttpEngines, type HttpEngine } from '../support/http-engines.js';

const awaitReply = readFileSync(new URL('../fixtures/integration/messages/await-reply.bpmn', import.meta.url), 'utf8');
const WAITING = 500;
const LATE = 500;
/** Late orders whose instances start only once every publish has been answered: their messages surely wait in the buffer. */
const AFTER = 20;
const ALL = WAITING + LATE + AFTER;
const PUBLISHERS = 8;

describe('message correlation across two engine processes', () => {
  let t: TestWeft;
  let engines: HttpEngine[] = [];
  beforeAll(async () => {
    t = await startTestWeft({ background: false });
    await t.weft.engine.deploy([{ name: 'await-reply.bpmn', content: awaitReply }], 'test');
    engines = await startHttpEngines(2, t.config);
  }, 90_000);
  afterAll(async () => {
    for (const e of engines) e.process.kill();
    await t?.stop();
  });

  it('every instance gets exactly its message, once, with 8 publishers on two engines', async () => {
    // given 500 instances waiting, each for the reply to its own order
    const key = (i: number) => `order-${i}`;
    const ids = new Map<string, string>();
    const start = async (i: number) => {
      ids.set(key(i), (await t.weft.engine.startInstance({ processId: 'await-reply', variables: { orderId: key(i) } }, 'test')).id);
    };
    await pool(WAITING, 16, start);

    // when 8 publishers send every reply to both engines at once (one messageId) — the late orders' first —
    // while the other 500 instances start
    const answers: { messageKey: string; duplicate: boolean; correlated: unknown[] }[][] = [];
    const order = [...Array.from({ length: LATE + AFTER }, (_, j) => WAITING + j), ...Array.from({ length: WAITING }, (_, i) => i)];
    const publishing = pool(order.length, PUBLISHERS, async (n) => {
      const i = order[n];
      const body = { name: 'customer-reply', correlationKey: key(i), variables: { answer: key(i) }, timeToLiveMs: 120_000, messageId: `reply-${i}` };
      answers[i] = await Promise.all(engines.map((e) => publishTo(e.url, body)));
    });
    const lateStarts = pool(LATE, 2, (j) => start(WAITING + j));
    await Promise.all([publishing, lateStarts]);
    await pool(AFTER, 4, (k) => start(WAITING + LATE + k));

    // then each pair of publishes was one message: delivered by one, answered as its duplicate by the other
    for (const pair of answers) {
      expect(pair.filter((a) => a.duplicate)).toHaveLength(1);
      expect(new Set(pair.map((a) => a.messageKey)).size).toBe(1);
    }
    // every instance got exactly its own message, once
    const correlated = await t.weft.db('audit').where({ type: 'MESSAGE_CORRELATED' }).select('process_instance_id', 'payload');
    expect(correlated).toHaveLength(ALL);
    expect(new Set(correlated.map((c) => c.process_instance_id)).size).toBe(ALL);
    const byInstance = new Map(correlated.map((c) => [c.process_instance_id, c.payload]));
    for (const [orderKey, id] of ids) {
      expect(byInstance.get(id), orderKey).toMatchObject({ correlationKey: orderKey, variables: { answer: orderKey } });
    }
    const states = await t.weft.db('message_subscriptions').select('state').count({ n: '*' }).groupBy('state');
    expect(states).toEqual([{ state: 'CORRELATED', n: String(ALL) }]);
    expect(Number((await t.weft.db('messages').count({ n: '*' }))[0].n)).toBe(ALL);
    expect(Number((await t.weft.db('message_correlations').count({ n: '*' }))[0].n)).toBe(ALL);
    // both engines delivered some; the waiting orders' messages found their subscription, the ones started
    // after every publish waited in the buffer (the racing late orders may go either way, as the machine's timing has it)
    const deliveredBy = answers.map((pair) => pair.findIndex((a) => !a.duplicate));
    expect(new Set(deliveredBy).size).toBe(2);
    const delivered = answers.map((pair) => pair.find((a) => !a.duplicate)!);
    expect(delivered.slice(0, WAITING).every((a) => a.correlated.length === 1)).toBe(true);
    expect(delivered.slice(WAITING + LATE).every((a) => a.correlated.length === 0)).toBe(true);
  }, 180_000);
});
