/**
 * Compiling the properties of Camunda's webhook connector templates: what a
 * diagram from Camunda Modeler compiles to, and the problems (file, element,
 * field) that make a deployment a 422.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileOne, compileXml, processXml } from './bpmn.js';

const integration = (name: string) => readFileSync(new URL(`../../integration/webhooks/${name}`, import.meta.url), 'utf8');

const webhookStart = (properties: Record<string, string>) =>
  processXml(`
    <bpmn:startEvent id="hook">
      <bpmn:extensionElements><zeebe:properties>
        ${Object.entries({ 'inbound.type': 'io.camunda:webhook:1', 'inbound.context': 'hook-1', ...properties })
          .map(([name, value]) => `<zeebe:property name="${name}" value="${value.replace(/"/g, '&#34;')}"/>`)
          .join('')}
      </zeebe:properties></bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f" sourceRef="hook" targetRef="end"/>`);

const problemsOf = async (xml: string) => (await compileXml(xml)).problems;

describe('inbound webhook properties', () => {
  it("compile from a start event made with Camunda's template", async () => {
    const process = await compileOne(integration('order-webhook.bpmn'));
    expect(process.elements.OrderReceived).toMatchObject({
      kind: 'startEvent',
      webhook: {
        context: 'orders',
        method: 'post',
        hmac: { secret: '{{secrets.ORDER_HOOK_SECRET}}', header: 'x-signature', algorithm: 'sha_256' },
        auth: { type: 'NONE' },
        activationCondition: 'request.body.type = "order"',
        consumeUnmatchedEvents: false,
        resultVariable: 'webhook',
      },
    });
  });

  it('compile from catch and boundary events, with their keys, message id and TTL', async () => {
    const catchEvent = (await compileOne(integration('payment-callback.bpmn'))).elements.PaymentConfirmed;
    expect(catchEvent).toMatchObject({
      kind: 'messageCatchEvent',
      message: { name: { value: '3f6b2a4e-9c1d-4b7a-8e2f-5d0c1a9b7e64' }, correlationKey: { feel: 'orderId' } },
      webhook: { context: 'payments', auth: { type: 'APIKEY', apiKey: '{{secrets.PAYMENT_HOOK_KEY}}' }, correlationKeyExpression: 'request.body.orderId', messageIdExpression: 'request.body.paymentId' },
    });
    const boundary = (await compileOne(integration('cancel-by-webhook.bpmn'))).elements.CancelRequested;
    expect(boundary).toMatchObject({ kind: 'messageBoundaryEvent', webhook: { context: 'cancellations', messageTtlMs: 600_000 } });
  });

  it('an element without inbound properties has no webhook', async () => {
    const process = await compileOne(processXml('<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>'));
    expect(process.elements.s).not.toHaveProperty('webhook');
  });

  it.each([
    [{ 'inbound.context': '' }, 'inbound.context', 'needs its id'],
    [{ 'inbound.context': 'a/../b' }, 'inbound.context', 'may hold only letters'],
    [{ 'inbound.method': 'patch' }, 'inbound.method', 'not one of any, get, post, put, delete'],
    [{ 'inbound.shouldValidateHmac': 'enabled', 'inbound.hmacSecret': 's', 'inbound.hmacHeader': 'h', 'inbound.hmacAlgorithm': 'md5' }, 'inbound.hmacAlgorithm', 'not one of sha_1, sha_256, sha_512'],
    [{ 'inbound.shouldValidateHmac': 'enabled', 'inbound.hmacHeader': 'h' }, 'inbound.hmacSecret', 'is required'],
    [{ 'inbound.auth.type': 'JWT' }, 'inbound.auth.type', 'Weft supports NONE, BASIC, APIKEY'],
    [{ 'inbound.auth.type': 'BASIC', 'inbound.auth.username': 'u' }, 'inbound.auth.password', 'is required'],
    [{ activationCondition: '=request.body.type = ' }, 'activationCondition', 'Invalid FEEL expression'],
    [{ resultExpression: '={a: }' }, 'resultExpression', 'Invalid FEEL expression'],
    [{ synchronousResponse: 'true' }, 'synchronousResponse', 'not supported yet'],
    [{ messageTtl: 'an hour' }, 'messageTtl', 'ISO 8601 duration'],
    [{ 'inbound.type': 'io.camunda:connector-kafka-inbound:1' }, 'inbound.type', 'Weft runs io.camunda:webhook:1'],
    [{ 'inbound.shouldValidateHmac': 'enabled', 'inbound.hmacSecret': '{{secrets.bad name}}', 'inbound.hmacHeader': 'h' }, 'inbound.hmacSecret', 'not a secret name'],
    [{ 'inbound.shouldValidateHmac': 'enabled', 'inbound.hmacSecret': 's', 'inbound.hmacHeader': 'X Signature' }, 'inbound.hmacHeader', 'is not an HTTP header name'],
    [{ resultVariable: '__proto__' }, 'resultVariable', 'is not a variable name'],
    [{ resultVariable: 'order.payload' }, 'resultVariable', 'is not a variable name'],
  ])('%j is a problem at %s', async (properties, field, message) => {
    const problems = await problemsOf(webhookStart(properties));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'test.bpmn', elementId: 'hook', field, message: expect.stringContaining(message) }));
  });

  it('a webhook on a catch event whose message name is an expression is a problem', async () => {
    const xml = integration('payment-callback.bpmn').replace('name="3f6b2a4e-9c1d-4b7a-8e2f-5d0c1a9b7e64"', 'name="=&#34;pay-&#34; + orderId"');
    expect(await problemsOf(xml)).toContainEqual(expect.objectContaining({ elementId: 'PaymentConfirmed', field: 'bpmn:Message.name' }));
  });
});
