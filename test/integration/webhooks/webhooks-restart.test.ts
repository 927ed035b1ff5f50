/**
 * A webhook's endpoint lives in Postgres: it answers after the engine that
 * deployed it stops and another starts, and on every engine process at once
 * (a delivery sent to two engines with one delivery id is delivered once).
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeft, type Weft } from '../../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { startHttpEngines, type HttpEngine } from '../../support/http-engines.js';
import { callWebhook } from './webhook-client.js';

const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const SECRET = 'order-hook-shared-secret';

describe('webhooks across restarts and engine processes', () => {
  let t: TestWeft;
  let second: Weft | undefined;
  let engines: HttpEngine[] = [];
  beforeAll(async () => {
    process.env.WEFT_SECRET_ORDER_HOOK_SECRET = SECRET;
    t = await startTestWeft();
  }, 60_000);
  afterAll(async () => {
    for (const e of engines) e.process.kill();
    await second?.close();
    await t?.stop();
    delete process.env.WEFT_SECRET_ORDER_HOOK_SECRET;
  });

  it('a boundary webhook deployed before a restart interrupts its task after it', async () => {
    // given a shipment waiting to be packed, on an engine that then stops
    await t.weft.engine.deploy([{ name: 'cancel-by-webhook.bpmn', content: fixture('cancel-by-webhook.bpmn') }], 'test');
    const { id } = await t.weft.engine.startInstance({ processId: 'cancel-by-webhook', variables: { shipmentId: 's-1' } }, 'test');
    await t.weft.close();

    // when a new engine process serves the API and the customer's cancellation arrives, signed
    second = await startWeft({ config: t.config, logger: pino({ level: 'silent' }), migrate: false, pagesDir: '/nonexistent' });
    const body = JSON.stringify({ shipmentId: 's-1', reason: 'changed my mind' });
    const answer = await callWebhook(second.url!, 'cancellations', { body, secret: SECRET, headers: { 'x-delivery-id': 'c-1' } });

    // then the boundary event ends the task and the instance ends at "Canceled"
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ duplicate: false, processInstanceIds: [id] });
    const done = await eventually(async () => {
      const detail = await second!.engine.getInstance(id);
      return detail.state === 'COMPLETED' && detail;
    });
    expect(done.variables).toMatchObject({ cancelReason: 'changed my mind' });
    const ended = await second.db('audit').where({ process_instance_id: id, type: 'ELEMENT_COMPLETED' }).pluck('element_id');
    expect(ended).toContain('Canceled');
    expect(ended).not.toContain('Shipped');
  });

  it('two engine processes deliver one delivery once', async () => {
    // given the order webhook deployed and two engine processes serving it
    await second!.engine.deploy([{ name: 'order-webhook.bpmn', content: fixture('order-webhook.bpmn') }], 'test');
    engines = await startHttpEngines(2, t.config, { WEFT_SECRET_ORDER_HOOK_SECRET: SECRET });

    // when each order is sent to both at once, under one delivery id
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        const body = JSON.stringify({ type: 'order', orderId: `o-${n}`, amount: n });
        const call = (url: string) => callWebhook(url, 'orders', { body, secret: SECRET, headers: { 'idempotency-key': `delivery-${n}` } });
        return Promise.all(engines.map((e) => call(e.url)));
      }),
    );

    // then every call is answered 200 with the same instance, one of each pair as the duplicate, one instance per order
    for (const pair of answers) {
      expect(pair.map((a) => a.status)).toEqual([200, 200]);
      expect(new Set(pair.map((a) => a.body.processInstanceId)).size).toBe(1);
      expect(pair.filter((a) => a.body.duplicate)).toHaveLength(1);
    }
    expect(await second!.db('process_instances').where({ process_id: 'order-webhook' })).toHaveLength(5);
  }, 90_000);
});
