/**
 * Weft's element templates for webhooks, offered by the modeler's template
 * chooser: the same `zeebe:property` bindings as Camunda's webhook connector
 * templates (so a diagram made with either runs here), worded for Weft. One
 * template per element the webhook can sit on.
 */
import { registerElementTemplate } from '../modeler/element-templates.js';
import { WEBHOOK_TYPE } from '../../model/transformers/inbound-webhook.js';

const WEFT = { id: 'weft', name: 'Weft' };
const property = (name: string) => ({ type: 'zeebe:property', name });
const when = (id: string, equals: string) => ({ condition: { property: id, equals } });

const GROUPS = [
  { id: 'endpoint', label: 'Webhook' },
  { id: 'authentication', label: 'Signature (HMAC)' },
  { id: 'authorization', label: 'Authorization' },
  { id: 'activation', label: 'Activation' },
  { id: 'correlation', label: 'Correlation' },
  { id: 'output', label: 'Variables and answer' },
];

/** What every webhook has: its id and method, its signature and authorization, its activation condition. */
const common = [
  { type: 'Hidden', value: WEBHOOK_TYPE, binding: property('inbound.type') },
  {
    id: 'inbound.context',
    label: 'Webhook id',
    description: 'The last part of the URL: /webhooks/<id>',
    type: 'String',
    group: 'endpoint',
    binding: property('inbound.context'),
    constraints: { notEmpty: true, pattern: { value: '^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$', message: 'letters and digits, with single - or _ between them' } },
  },
  {
    id: 'inbound.method',
    label: 'HTTP method',
    type: 'Dropdown',
    value: 'any',
    group: 'endpoint',
    binding: property('inbound.method'),
    choices: ['any', 'get', 'post', 'put', 'delete'].map((m) => ({ name: m === 'any' ? 'Any' : m.toUpperCase(), value: m })),
  },
  {
    id: 'inbound.shouldValidateHmac',
    label: 'Check an HMAC signature',
    type: 'Dropdown',
    value: 'disabled',
    group: 'authentication',
    binding: property('inbound.shouldValidateHmac'),
    choices: [
      { name: 'Yes', value: 'enabled' },
      { name: 'No', value: 'disabled' },
    ],
  },
  {
    id: 'inbound.hmacSecret',
    label: 'Shared secret',
    description: 'Best as {{secrets.NAME}}: the server reads WEFT_SECRET_NAME',
    type: 'String',
    group: 'authentication',
    binding: property('inbound.hmacSecret'),
    ...when('inbound.shouldValidateHmac', 'enabled'),
  },
  {
    id: 'inbound.hmacHeader',
    label: 'Signature header',
    description: 'e.g. X-Hub-Signature-256; hex, sha256=hex or base64',
    type: 'String',
    group: 'authentication',
    binding: property('inbound.hmacHeader'),
    ...when('inbound.shouldValidateHmac', 'enabled'),
  },
  {
    id: 'inbound.hmacAlgorithm',
    label: 'Algorithm',
    type: 'Dropdown',
    value: 'sha_256',
    group: 'authentication',
    binding: property('inbound.hmacAlgorithm'),
    choices: [
      { name: 'HMAC-SHA-1', value: 'sha_1' },
      { name: 'HMAC-SHA-256', value: 'sha_256' },
      { name: 'HMAC-SHA-512', value: 'sha_512' },
    ],
    ...when('inbound.shouldValidateHmac', 'enabled'),
  },
  {
    id: 'inbound.auth.type',
    label: 'Authorization',
    type: 'Dropdown',
    value: 'NONE',
    group: 'authorization',
    binding: property('inbound.auth.type'),
    choices: [
      { name: 'None', value: 'NONE' },
      { name: 'HTTP basic', value: 'BASIC' },
      { name: 'API key', value: 'APIKEY' },
    ],
  },
  { id: 'inbound.auth.username', label: 'User name', type: 'String', group: 'authorization', binding: property('inbound.auth.username'), ...when('inbound.auth.type', 'BASIC') },
  { id: 'inbound.auth.password', label: 'Password', description: 'Best as {{secrets.NAME}}', type: 'String', group: 'authorization', binding: property('inbound.auth.password'), ...when('inbound.auth.type', 'BASIC') },
  { id: 'inbound.auth.apiKey', label: 'API key', description: 'Best as {{secrets.NAME}}', type: 'String', group: 'authorization', binding: property('inbound.auth.apiKey'), ...when('inbound.auth.type', 'APIKEY') },
  {
    id: 'inbound.auth.apiKeyLocator',
    label: 'Where the key is',
    description: 'FEEL over request',
    type: 'String',
    feel: 'required',
    value: '=split(request.headers.authorization, " ")[2]',
    group: 'authorization',
    binding: property('inbound.auth.apiKeyLocator'),
    ...when('inbound.auth.type', 'APIKEY'),
  },
  {
    id: 'activationCondition',
    label: 'Activation condition',
    description: 'FEEL over request; empty: every request',
    type: 'String',
    feel: 'required',
    optional: true,
    group: 'activation',
    binding: property('activationCondition'),
  },
  {
    id: 'consumeUnmatchedEvents',
    label: 'Answer 200 to requests the condition refuses',
    type: 'Boolean',
    value: true,
    group: 'activation',
    binding: property('consumeUnmatchedEvents'),
  },
];

const messageId = {
  id: 'messageIdExpression',
  label: 'Delivery id',
  description: 'FEEL over request; a second request with the same id is answered and not delivered again',
  type: 'String',
  feel: 'required',
  optional: true,
  group: 'correlation',
  binding: property('messageIdExpression'),
};

const output = [
  { id: 'resultVariable', label: 'Result variable', description: 'Receives {request: {body, headers, params}}', type: 'String', optional: true, group: 'output', binding: property('resultVariable') },
  {
    id: 'resultExpression',
    label: 'Result expression',
    description: 'FEEL over request; its entries become variables',
    type: 'Text',
    feel: 'required',
    optional: true,
    value: '={body: request.body}',
    group: 'output',
    binding: property('resultExpression'),
  },
  {
    id: 'inbound.responseExpression',
    label: 'Answer',
    description: 'FEEL over request and correlation: {body, statusCode, headers}',
    type: 'Text',
    feel: 'required',
    optional: true,
    group: 'output',
    binding: property('inbound.responseExpression'),
  },
];

/** What a webhook that publishes its element's message adds: the message's name, its keys, how long it is kept. */
const message = (withSubscriptionKey: boolean) => [
  { type: 'Hidden', generatedValue: { type: 'uuid' }, binding: { type: 'bpmn:Message#property', name: 'name' } },
  ...(withSubscriptionKey
    ? [{ label: 'Correlation key (instance)', description: 'FEEL over the instance\'s variables', type: 'String', feel: 'required', group: 'correlation', binding: { type: 'bpmn:Message#zeebe:subscription#property', name: 'correlationKey' }, constraints: { notEmpty: true } }]
    : []),
  {
    label: 'Correlation key (request)',
    description: 'FEEL over request; must equal the instance\'s key',
    type: 'String',
    feel: 'required',
    optional: !withSubscriptionKey,
    group: 'correlation',
    binding: property('correlationKeyExpression'),
    ...(withSubscriptionKey ? { constraints: { notEmpty: true } } : {}),
  },
  messageId,
  { label: 'Message time to live', description: 'ISO 8601 duration; PT1H when empty', type: 'String', optional: true, group: 'correlation', binding: property('messageTtl') },
];

const template = (id: string, name: string, appliesTo: string, elementType: Record<string, string>, properties: Record<string, unknown>[]) =>
  registerElementTemplate({
    id,
    name,
    version: 1,
    description: 'Started or continued by an HTTP request to /webhooks/<id>',
    category: WEFT,
    appliesTo: [appliesTo],
    elementType: elementType as { value: string },
    groups: GROUPS,
    properties: [...common, ...properties, ...output],
  });

template('io.weft.webhook.start', 'Webhook start event', 'bpmn:StartEvent', { value: 'bpmn:StartEvent' }, [{ ...messageId }]);
template('io.weft.webhook.message-start', 'Webhook message start event', 'bpmn:StartEvent', { value: 'bpmn:StartEvent', eventDefinition: 'bpmn:MessageEventDefinition' }, message(false));
template('io.weft.webhook.intermediate', 'Webhook catch event', 'bpmn:IntermediateCatchEvent', { value: 'bpmn:IntermediateCatchEvent', eventDefinition: 'bpmn:MessageEventDefinition' }, message(true));
template('io.weft.webhook.boundary', 'Webhook boundary event', 'bpmn:BoundaryEvent', { value: 'bpmn:BoundaryEvent', eventDefinition: 'bpmn:MessageEventDefinition' }, message(true));
