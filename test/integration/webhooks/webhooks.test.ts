/**
 * Inbound webhooks as Camunda's webhook connector templates configure them
 * (fixtures written as Camunda Modeler writes them): a signed request starts
 * an instance, a bad signature changes nothing, a replay is answered and not
 * delivered twice, a catch event is correlated by key, and no malformed
 * request makes the server answer 5xx.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { callWebhook } from './webhook-client.js';

const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const SECRET = 'order-hook-shared-secret';
const API_KEY = 'payment-hook-api-key-123';
const PASSWORD = 'ticket-hook-password-9';

describe('inbound webhooks', () => {
  let t: TestWeft;
  const instancesOf = async (processId: string) => t.weft.db('process_instances').where({ process_id: processId }).select('id');
  beforeAll(async () => {
    process.env.WEFT_SECRET_ORDER_HOOK_SECRET = SECRET;
    process.env.WEFT_SECRET_PAYMENT_HOOK_KEY = API_KEY;
    process.env.WEFT_SECRET_TICKET_HOOK_PASSWORD = PASSWORD;
    t = await startTestWeft();
    const deployed = await t.api.deploy([
      { name: 'order-webhook.bpmn', xml: fixture('order-webhook.bpmn') },
      { name: 'payment-callback.bpmn', xml: fixture('payment-callback.bpmn') },
      { name: 'ticket-intake.bpmn', xml: fixture('ticket-intake.bpmn') },
    ]);
    expect(deployed.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    delete process.env.WEFT_SECRET_ORDER_HOOK_SECRET;
    delete process.env.WEFT_SECRET_PAYMENT_HOOK_KEY;
    delete process.env.WEFT_SECRET_TICKET_HOOK_PASSWORD;
  });

  it('a request signed with the shared secret starts an instance with the mapped variables', async () => {
    // given an order as the provider sends it
    const body = JSON.stringify({ type: 'order', orderId: 'o-1', amount: 120 });

    // when it is posted, signed
    const answer = await callWebhook(t.weft.url!, 'orders', { body, secret: SECRET });

    // then an instance waits at the review, with the result expression's variables and the request under resultVariable
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ processId: 'order-webhook', duplicate: false });
    const detail = await t.weft.engine.getInstance(answer.body.processInstanceId);
    expect(detail.state).toBe('ACTIVE');
    expect(detail.variables).toMatchObject({ orderId: 'o-1', amount: 120, webhook: { request: { body: { type: 'order', orderId: 'o-1' }, params: {} } } });
    expect((detail.variables.webhook as any).request.headers['x-signature']).toBeDefined();
    const audit = await t.weft.engine.audit(detail.id);
    expect(audit[0].actor).toBe('webhook:orders');
  });

  it('a bad signature is answered 401 and starts nothing', async () => {
    // given the instances there are
    const before = (await instancesOf('order-webhook')).length;
    const body = JSON.stringify({ type: 'order', orderId: 'o-2', amount: 1 });

    // when the body is signed with another secret, or not at all, or the signed body is changed
    const wrong = await callWebhook(t.weft.url!, 'orders', { body, secret: 'not-the-secret' });
    const unsigned = await callWebhook(t.weft.url!, 'orders', { body });
    const signed = await callWebhook(t.weft.url!, 'orders', { body: `${body} `, headers: { 'x-signature': (await import('node:crypto')).createHmac('sha256', SECRET).update(body).digest('hex') } });

    // then each is a 401 in Weft's error shape, and no instance was started
    for (const answer of [wrong, unsigned, signed]) {
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHORIZED');
      expect(JSON.stringify(answer.body)).not.toContain(SECRET);
    }
    expect(await instancesOf('order-webhook')).toHaveLength(before);
  });

  it('a replayed delivery is answered with the first instance and starts no second one', async () => {
    // given a delivery with an idempotency key, delivered once
    const before = (await instancesOf('order-webhook')).length;
    const body = JSON.stringify({ type: 'order', orderId: 'o-3', amount: 7 });
    const first = await callWebhook(t.weft.url!, 'orders', { body, secret: SECRET, headers: { 'idempotency-key': 'delivery-3' } });
    expect(first.status).toBe(200);

    // when the provider sends it again, twice at once
    const replays = await Promise.all([1, 2].map(() => callWebhook(t.weft.url!, 'orders', { body, secret: SECRET, headers: { 'idempotency-key': 'delivery-3' } })));

    // then each replay is answered 200 with the first instance, and there is one instance for the order
    for (const replay of replays) {
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ processInstanceId: first.body.processInstanceId, duplicate: true });
    }
    expect(await instancesOf('order-webhook')).toHaveLength(before + 1);
  });

  it('answers 422 when the activation condition refuses, 405 for another method, 404 for an unknown webhook', async () => {
    const before = (await instancesOf('order-webhook')).length;
    const refund = JSON.stringify({ type: 'refund', orderId: 'o-4' });
    const refused = await callWebhook(t.weft.url!, 'orders', { body: refund, secret: SECRET });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('ACTIVATION_CONDITION_NOT_MET');
    const put = await callWebhook(t.weft.url!, 'orders', { method: 'PUT', body: refund, secret: SECRET });
    expect(put.status).toBe(405);
    const unknown = await callWebhook(t.weft.url!, 'nobody-here', { body: '{}' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect(await instancesOf('order-webhook')).toHaveLength(before);
  });

  it('a catch event is correlated by its key, once, and answered with the response expression', async () => {
    // given two instances waiting for their payments
    const a = await t.weft.engine.startInstance({ processId: 'payment-callback', variables: { orderId: 'o-10' } }, 'test');
    const b = await t.weft.engine.startInstance({ processId: 'payment-callback', variables: { orderId: 'o-11' } }, 'test');
    const body = JSON.stringify({ orderId: 'o-10', paymentId: 'pay-10', amount: 99 });
    const auth = { authorization: `Bearer ${API_KEY}` };

    // when the payment provider calls with a wrong key, then with the right one, then replays it
    const wrongKey = await callWebhook(t.weft.url!, 'payments', { body, headers: { authorization: 'Bearer nope' } });
    const answer = await callWebhook(t.weft.url!, 'payments', { body, headers: auth });
    const replay = await callWebhook(t.weft.url!, 'payments', { body, headers: auth });

    // then the wrong key is a 401; the right one reaches the instance of order o-10 only, and answers as the diagram says
    expect(wrongKey.status).toBe(401);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ received: 'pay-10' });
    expect(replay.status).toBe(202);
    const done = await eventually(async () => {
      const detail = await t.weft.engine.getInstance(a.id);
      return detail.state === 'COMPLETED' && detail;
    });
    expect(done.variables).toMatchObject({ orderId: 'o-10', paid: 99 });
    expect((await t.weft.engine.getInstance(b.id)).state).toBe('ACTIVE');
    const correlated = await t.weft.db('audit').where({ type: 'MESSAGE_CORRELATED', process_instance_id: a.id }).count({ n: '*' });
    expect(Number(correlated[0].n)).toBe(1);
    // and the API key is nowhere in what was recorded
    const recorded = JSON.stringify([done.variables, await t.weft.engine.audit(a.id)]);
    expect(recorded).not.toContain(API_KEY);
  });

  it('a message start event with basic authorization starts one instance per ticket', async () => {
    // given a ticket as the helpdesk sends it
    const body = JSON.stringify({ ticketId: 't-1', subject: 'Printer on fire' });
    const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`helpdesk:${password}`).toString('base64')}` });

    // when it comes with a wrong password, then the right one, then again
    const wrong = await callWebhook(t.weft.url!, 'tickets', { body, headers: basic('guess-guess') });
    const first = await callWebhook(t.weft.url!, 'tickets', { body, headers: basic(PASSWORD) });
    const again = await callWebhook(t.weft.url!, 'tickets', { body, headers: basic(PASSWORD) });

    // then the wrong password starts nothing, the right one starts the process by its message, the repeat is a duplicate
    expect(wrong.status).toBe(401);
    expect(first.status).toBe(200);
    expect(first.body.processInstanceIds).toHaveLength(1);
    expect(again.body).toMatchObject({ duplicate: true, messageKey: first.body.messageKey });
    expect(await instancesOf('ticket-intake')).toHaveLength(1);
    const detail = await t.weft.engine.getInstance(first.body.processInstanceIds[0]);
    expect(detail.variables).toEqual({ ticketId: 't-1', subject: 'Printer on fire' });
  });

  it('refuses a second process claiming the same webhook id, naming both', async () => {
    // when another process with the webhook id "orders" is deployed
    const answer = await t.api.deploy([{ name: 'order-webhook-copy.bpmn', xml: fixture('order-webhook-copy.bpmn') }]);

    // then the deployment is a 422 naming the webhook id, both processes and the file
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('INVALID_MODEL');
    expect(answer.body.error.message).toContain('"orders"');
    expect(answer.body.error.message).toContain('order-webhook-copy');
    expect(answer.body.error.message).toContain('process "order-webhook"');
    expect(answer.body.error.details.problems[0]).toMatchObject({ file: 'order-webhook-copy.bpmn', elementId: 'OrderReceived', field: 'inbound.context' });
    expect(await t.weft.db('process_definitions').where({ process_id: 'order-webhook-copy' })).toHaveLength(0);
  });

  it('answers malformed bodies, signatures, encodings and paths with 4xx, never 5xx', async () => {
    const before = (await instancesOf('order-webhook')).length;
    const bodies = ['{', '{"type":"order"', '\u0000', '{"type":"order","x":"\\ud800"}', '[1,2', 'not json', '{"__proto__":{"a":1}}', '9'.repeat(5000), JSON.stringify({ type: 'order', deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) })];
    const signatures = ['', 'sha256=', 'sha256=zz', '=', 'a'.repeat(64), 'A'.repeat(10_000), 'base64:!!!', '\t'];
    const statuses: number[] = [];
    for (const body of bodies) {
      statuses.push((await callWebhook(t.weft.url!, 'orders', { body, secret: SECRET })).status);
      for (const signature of signatures) statuses.push((await callWebhook(t.weft.url!, 'orders', { body, headers: { 'x-signature': signature } })).status);
    }
    for (const path of ['orders%E0%A4%A', 'orders%00', '%ED%A0%80', 'orders/', 'a'.repeat(300)]) {
      statuses.push((await fetch(`${t.weft.url}/webhooks/${path}`, { method: 'POST', body: '{}' })).status);
    }
    statuses.push((await fetch(`${t.weft.url}/webhooks/orders`, { method: 'POST', headers: { 'content-encoding': 'br-nope' }, body: '{}' })).status);
    statuses.push((await fetch(`${t.weft.url}/webhooks/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) })).status);
    statuses.push((await fetch(`${t.weft.url}/webhooks/orders`, { method: 'PATCH', body: '{}' })).status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s >= 400)).toBe(true);
    expect(await instancesOf('order-webhook')).toHaveLength(before);
  });
});
