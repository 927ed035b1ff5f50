/**
 * Messages on a real engine (Postgres, Redis, the REST API): publishing
 * correlates to waiting instances by name and correlation key, buffers for a
 * time to live, is idempotent by message id, starts instances at message
 * start events (one active per correlation key), and reaches each process once.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => ({ name, xml: readFileSync(new URL(`../fixtures/integration/messages/${name}`, import.meta.url), 'utf8') });
const FIXTURES = ['await-reply.bpmn', 'await-reply-audit.bpmn', 'order-by-message.bpmn', 'waits-for-messages.bpmn', 'manual-receive.bpmn', 'unkeyed-catch.bpmn'].map(fixture);

describe('messages', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft();
    const deployed = await t.api.deploy(FIXTURES);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const start = async (processId: string, variables: Record<string, unknown> = {}) => {
    const res = await t.api.post('/api/process-instances', { processId, variables });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const publish = async (body: Record<string, unknown>) => {
    const res = await t.api.post('/api/messages', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const instance = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  const activeElements = async (id: string) => ((await instance(id)).elements as { elementId: string; state: string }[]).filter((e) => e.state === 'ACTIVE').map((e) => e.elementId).sort();
  const correlations = async (id: string) => (await t.weft.db('audit').where({ process_instance_id: id, type: 'MESSAGE_CORRELATED' }).orderBy('id')).map((a) => a.payload);

  it('a published message reaches the instance waiting for its name and key, with its variables', async () => {
    // given an instance waiting for the reply to order o-1, and one waiting for o-2
    const waiting = await start('await-reply', { orderId: 'o-1' });
    const other = await start('await-reply', { orderId: 'o-2' });

    // when the reply for o-1 is published
    const answer = await publish({ name: 'customer-reply', correlationKey: 'o-1', variables: { answer: 'yes' } });

    // then it reached that instance only, which moved on with the message's variables
    expect(answer).toMatchObject({ duplicate: false, buffered: false, dropped: false, started: [], expiresAt: null });
    expect(answer.correlated).toEqual([{ processInstanceId: waiting, processId: 'await-reply', elementId: 'wait-reply' }]);
    const detail = await instance(waiting);
    expect(detail.variables).toMatchObject({ orderId: 'o-1', answer: 'yes' });
    expect(await activeElements(waiting)).toEqual(['file-reply']);
    expect(await correlations(other)).toEqual([]);
    const [row] = await t.weft.db('message_subscriptions').where({ process_instance_id: waiting });
    expect(row.state).toBe('CORRELATED');
    const [audit] = await t.weft.db('audit').where({ process_instance_id: waiting, type: 'MESSAGE_CORRELATED' });
    expect(audit).toMatchObject({ actor: 'admin', payload: { messageKey: answer.messageKey, messageName: 'customer-reply', correlationKey: 'o-1' } });
  });

  it('a message for no one with no time to live is answered as dropped and kept nowhere', async () => {
    // when a reply nobody waits for is published without a time to live
    const answer = await publish({ name: 'customer-reply', correlationKey: 'o-nobody', variables: { answer: 'late' } });

    // then the answer says it reached no one and is gone; an instance subscribing afterwards keeps waiting
    expect(answer).toMatchObject({ correlated: [], started: [], buffered: false, expiresAt: null, dropped: true });
    expect(await t.weft.db('messages').where({ key: answer.messageKey })).toEqual([]);
    const late = await start('await-reply', { orderId: 'o-nobody' });
    expect(await correlations(late)).toEqual([]);
  });

  it('a buffered message reaches an instance that subscribes later, once per process, and no one after it expires', async () => {
    // given a reply published before anyone waits for it, kept for 1.5 s
    const answer = await publish({ name: 'customer-reply', correlationKey: 'o-early', variables: { answer: 'early' }, timeToLiveMs: 1500 });
    expect(answer).toMatchObject({ correlated: [], buffered: true, dropped: false });
    expect(Date.parse(answer.expiresAt) - Date.now()).toBeGreaterThan(1000);

    // when an instance subscribes within the time to live
    const first = await start('await-reply', { orderId: 'o-early' });

    // then it has the message as soon as its start is answered
    expect(await correlations(first)).toMatchObject([{ messageKey: answer.messageKey }]);
    expect((await instance(first)).variables).toMatchObject({ answer: 'early' });
    // a second instance of the same process does not: the message reached that process already
    const second = await start('await-reply', { orderId: 'o-early' });
    expect(await correlations(second)).toEqual([]);
    // another process waiting for it still gets it
    const audit = await start('await-reply-audit', { orderId: 'o-early' });
    expect((await instance(audit)).state).toBe('COMPLETED');

    // and once it has expired, nobody does, and the sweep deletes it
    await new Promise((r) => setTimeout(r, 1600));
    const later = await start('await-reply-audit', { orderId: 'o-early' });
    expect((await instance(later)).state).toBe('ACTIVE');
    await eventually(async () => (await t.weft.db('messages').where({ key: answer.messageKey })).length === 0);
    expect(await t.weft.db('message_correlations').where({ message_key: answer.messageKey })).toEqual([]);
  });

  it('publishing the same messageId again while it is buffered is answered as a duplicate and delivers nothing', async () => {
    // given two instances of different processes waiting... for nothing yet, and a message published with an id
    const body = { name: 'customer-reply', correlationKey: 'o-dup', variables: { n: 1 }, timeToLiveMs: 60_000, messageId: 'reply-42' };
    const first = await publish(body);
    // when it is published again, and an instance subscribes afterwards
    const again = await publish({ ...body, variables: { n: 2 } });
    const waiting = await start('await-reply', { orderId: 'o-dup' });

    // then the second publish names the first message and delivered nothing: the instance got the first one only
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, messageKey: first.messageKey, correlated: [], started: [], buffered: true, expiresAt: first.expiresAt });
    expect(await correlations(waiting)).toMatchObject([{ messageKey: first.messageKey, variables: { n: 1 } }]);
    expect(await t.weft.db('messages').where({ message_id: 'reply-42' })).toHaveLength(1);
    // the same id under another correlation key is another message
    expect((await publish({ ...body, correlationKey: 'o-dup-2' })).duplicate).toBe(false);
  });

  it('a message reaches one waiting subscription per process, and every process waiting for it', async () => {
    // given two instances of one process and one of another, all waiting for the same name and key
    const a = await start('await-reply', { orderId: 'o-shared' });
    const b = await start('await-reply', { orderId: 'o-shared' });
    const c = await start('await-reply-audit', { orderId: 'o-shared' });

    // when the message is published
    const answer = await publish({ name: 'customer-reply', correlationKey: 'o-shared' });

    // then the oldest subscription of each process got it
    expect(answer.correlated.map((x: { processInstanceId: string }) => x.processInstanceId).sort()).toEqual([a, c].sort());
    expect(await correlations(b)).toEqual([]);
    // and the next message goes to the one still waiting
    expect((await publish({ name: 'customer-reply', correlationKey: 'o-shared' })).correlated).toMatchObject([{ processInstanceId: b }]);
  });

  it('when the oldest subscription\'s instance moves on while the publish waits for its lock, the next one of its process gets the message', async () => {
    // given two instances of one process waiting for the same message, the older one locked by a step in flight
    const older = await start('await-reply', { orderId: 'o-race' });
    const newer = await start('await-reply', { orderId: 'o-race' });
    const step = await t.weft.db.transaction();
    await step('process_instances').where({ id: older }).forUpdate().first('id');

    // when the message is published meanwhile, and the step then ends the older instance (as a cancel would)
    const publishing = publish({ name: 'customer-reply', correlationKey: 'o-race' });
    await new Promise((r) => setTimeout(r, 200));
    await step.raw(`UPDATE process_instances SET status = 'CANCELED', state = jsonb_set(state, '{status}', '"CANCELED"') WHERE id = ?`, [older]);
    await step('message_subscriptions').where({ process_instance_id: older }).update({ state: 'CLOSED' });
    await step.commit();

    // then the message went to the newer instance
    expect((await publishing).correlated).toMatchObject([{ processInstanceId: newer }]);
    expect(await correlations(older)).toEqual([]);
  });

  it('publishes arriving together are one transaction and answer as if published one after the other', async () => {
    // given two instances of one process waiting for the same key, and one waiting at a receive task with a reminder boundary
    const first = await start('await-reply', { orderId: 'o-together' });
    const second = await start('await-reply', { orderId: 'o-together' });
    const paying = await start('waits-for-messages', { orderId: 'o-together' });

    // when, in one tick, the same reply is published twice, and a reminder and the payment reach the third instance
    const [a, b, reminder, payment, nobody] = await Promise.all([
      t.weft.engine.publishMessage({ name: 'customer-reply', correlationKey: 'o-together', variables: { n: 1 } }, 'test'),
      t.weft.engine.publishMessage({ name: 'customer-reply', correlationKey: 'o-together', variables: { n: 2 } }, 'test'),
      t.weft.engine.publishMessage({ name: 'reminder', correlationKey: 'o-together' }, 'test'),
      t.weft.engine.publishMessage({ name: 'payment', correlationKey: 'o-together', variables: { paid: 1 } }, 'test'),
      t.weft.engine.publishMessage({ name: 'customer-reply', correlationKey: 'o-nobody-together' }, 'test'),
    ]);

    // then the replies went to the two instances in order, and the third took both of its messages
    expect(a.correlated).toMatchObject([{ processInstanceId: first }]);
    expect(b.correlated).toMatchObject([{ processInstanceId: second }]);
    expect(reminder.correlated).toMatchObject([{ processInstanceId: paying, elementId: 'reminder' }]);
    expect(payment.correlated).toMatchObject([{ processInstanceId: paying, elementId: 'await-payment' }]);
    expect(nobody.dropped).toBe(true);
    expect((await instance(first)).variables).toMatchObject({ n: 1 });
    expect((await instance(second)).variables).toMatchObject({ n: 2 });
    expect((await instance(paying)).variables).toMatchObject({ paid: 1 });
    expect(await activeElements(paying)).toEqual(['await-shipment', 'send-reminder']);
  });

  it('a message start event starts an instance with the message\'s variables, one active per correlation key', async () => {
    // when 'order-placed' is published for o-7, twice
    const first = await publish({ name: 'order-placed', correlationKey: 'o-7', variables: { orderId: 'o-7', total: 12 } });
    const second = await publish({ name: 'order-placed', correlationKey: 'o-7', variables: { orderId: 'o-7', total: 99 } });

    // then the first started an instance with its variables; the second started none while it is active
    expect(first.started).toEqual([{ processInstanceId: expect.any(String), processId: 'order-by-message', elementId: 'placed' }]);
    const id = first.started[0].processInstanceId;
    expect((await instance(id)).variables).toEqual({ orderId: 'o-7', total: 12 });
    expect(second).toMatchObject({ started: [], correlated: [], dropped: true });
    // another key starts its own
    expect((await publish({ name: 'order-placed', correlationKey: 'o-8', variables: { orderId: 'o-8' } })).started).toHaveLength(1);
    // and without a key, every message starts one
    const unkeyed = await Promise.all([1, 2].map(() => publish({ name: 'order-placed', variables: { orderId: 'none' } })));
    expect(unkeyed.flatMap((u) => u.started)).toHaveLength(2);
  });

  it('only the latest version listens at its message start events, and a message buffered before a start event was deployed never starts it', async () => {
    // given a message buffered before any version listens to it
    const early = await publish({ name: 'shop-order', correlationKey: 's-1', timeToLiveMs: 60_000 });
    expect(early.started).toEqual([]);
    // when version 1 (with the start event) is deployed, the early message starts nothing (the sweep has run meanwhile)
    expect((await t.api.deploy([fixture('placed-v1.bpmn')])).status).toBe(201);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await t.weft.db('process_instances').where({ process_id: 'placed-versions' })).toEqual([]);
    // and a message now starts version 1
    expect((await publish({ name: 'shop-order', correlationKey: 's-2' })).started).toMatchObject([{ processId: 'placed-versions', elementId: 'ordered-v1' }]);

    // when version 2 drops the start event, a message starts nothing
    expect((await t.api.deploy([fixture('placed-v2.bpmn')])).status).toBe(201);
    expect((await publish({ name: 'shop-order', correlationKey: 's-3' })).dropped).toBe(true);

    // and version 3 listens again, at its own start event
    expect((await t.api.deploy([fixture('placed-v3.bpmn')])).status).toBe(201);
    const started = (await publish({ name: 'shop-order', correlationKey: 's-4' })).started;
    expect(started).toMatchObject([{ processId: 'placed-versions', elementId: 'ordered-v3' }]);
    expect((await instance(started[0].processInstanceId)).version).toBe(3);
  });

  it('a buffered message for a key whose instance is active starts the next instance when that one ends', async () => {
    // given an active instance started by o-9, and a second 'order-placed' for o-9 buffered meanwhile
    const first = await publish({ name: 'order-placed', correlationKey: 'o-9', variables: { orderId: 'o-9', n: 1 } });
    const queued = await publish({ name: 'order-placed', correlationKey: 'o-9', variables: { orderId: 'o-9', n: 2 }, timeToLiveMs: 60_000 });
    expect(queued).toMatchObject({ started: [], buffered: true });

    // when the first instance ends
    await publish({ name: 'order-closed', correlationKey: 'o-9' });

    // then the buffered message starts the next one (Camunda 8's message aggregation)
    expect((await instance(first.started[0].processInstanceId)).state).toBe('COMPLETED');
    const next = await t.weft.db('process_instances').where({ process_id: 'order-by-message', start_correlation_key: 'o-9', status: 'ACTIVE' });
    expect(next).toHaveLength(1);
    expect((await instance(next[0].id)).variables).toEqual({ orderId: 'o-9', n: 2 });
  });

  it('a subscription without a correlation key matches messages published without one', async () => {
    const waiting = await start('unkeyed-catch');
    expect((await publish({ name: 'go', correlationKey: 'something' })).correlated).toEqual([]);
    expect((await publish({ name: 'go' })).correlated).toMatchObject([{ processInstanceId: waiting }]);
    expect((await instance(waiting)).state).toBe('COMPLETED');
  });

  it('a non-interrupting boundary event takes every buffered message meant for it, oldest first', async () => {
    // given two reminders buffered before the order exists
    await publish({ name: 'reminder', correlationKey: 'o-remind', variables: { reminder: 1 }, timeToLiveMs: 60_000 });
    await publish({ name: 'reminder', correlationKey: 'o-remind', variables: { reminder: 2 }, timeToLiveMs: 60_000 });

    // when the instance reaches the receive task the boundary event is attached to
    const id = await start('waits-for-messages', { orderId: 'o-remind' });

    // then both reminders started their path, in order, and the receive task still waits (the pass after the
    // start's commit, or the background sweep when it got there first, delivers them)
    await eventually(async () => (await correlations(id)).length === 2);
    expect((await correlations(id)).map((c) => c.variables)).toEqual([{ reminder: 1 }, { reminder: 2 }]);
    const jobs = await t.weft.db('jobs').where({ process_instance_id: id, type: 'send-reminder' });
    expect(jobs).toHaveLength(2);
    expect(await activeElements(id)).toEqual(['await-payment', 'send-reminder', 'send-reminder']);
  });

  it('an interrupting boundary message ends the receive task and closes its other subscriptions', async () => {
    const id = await start('waits-for-messages', { orderId: 'o-cancel' });
    const answer = await publish({ name: 'cancel-request', correlationKey: 'o-cancel' });
    expect(answer.correlated).toMatchObject([{ processInstanceId: id, elementId: 'cancel-request' }]);
    expect((await instance(id)).state).toBe('COMPLETED');
    const states = (await t.weft.db('message_subscriptions').where({ process_instance_id: id }).orderBy('element_id')).map((s) => `${s.element_id}:${s.state}`);
    expect(states).toEqual(['await-payment:CLOSED', 'cancel-request:CORRELATED', 'reminder:CLOSED']);
    expect((await publish({ name: 'payment', correlationKey: 'o-cancel' })).dropped).toBe(true);
  });

  it('a receive task without a message is continued by an operator\'s trigger', async () => {
    const id = await start('manual-receive');
    const wrong = await t.api.post(`/api/process-instances/${id}/trigger`, { elementId: 'end' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain("No element 'end' is waiting");
    const res = await t.api.post(`/api/process-instances/${id}/trigger`, { elementId: 'paper-form-arrives', variables: { form: 'signed' } });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('COMPLETED');
    expect((await instance(id)).variables).toEqual({ form: 'signed' });
    // a receive task with a message is the message's, not a trigger's
    const paying = await start('waits-for-messages', { orderId: 'o-trigger' });
    const refused = await t.api.post(`/api/process-instances/${paying}/trigger`, { elementId: 'await-payment' });
    expect(refused.status).toBe(409);
  });
});
