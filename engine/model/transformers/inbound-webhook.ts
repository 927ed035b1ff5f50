/**
 * Inbound webhooks on start events, message catch and boundary events and
 * receive tasks: the `zeebe:properties` Camunda's webhook connector
 * templates write (`inbound.type` = `io.camunda:webhook:1` and the rest, see
 * InboundWebhook in types.ts), read and checked once, at deploy. A problem
 * names the element and the property; the element compiles without the
 * webhook, and the problem fails the deployment.
 *
 * Which values are accepted follows the templates' own choices (methods,
 * HMAC algorithms, authorization types); what Weft does not do yet (JWT
 * authorization, HMAC over the URL, the synchronous response mode) is a
 * problem saying so, rather than an endpoint that behaves differently.
 */
import { SECRET_NAME } from '../../secrets/types.js';
import type { InboundWebhook, MessageDefinition } from '../types.js';
import { extension, type FlowNode, type ModdleElement } from '../moddle.js';
import type { Problems } from '../problems.js';
import { parseDuration } from '../../runtime/waits/iso-duration.js';
import { at, expression } from './zeebe-properties.js';

export const WEBHOOK_TYPE = 'io.camunda:webhook:1';
/** Camunda's pattern for a webhook id: letters and digits, single `-` or `_` between them. */
export const WEBHOOK_CONTEXT = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
const MAX_CONTEXT = 100;
const METHODS = ['any', 'get', 'post', 'put', 'delete'] as const;
const ALGORITHMS = ['sha_1', 'sha_256', 'sha_512'] as const;
export const AUTH_TYPES = ['NONE', 'BASIC', 'APIKEY'] as const;
/** `{{secrets.NAME}}` references inside a credential. */
const SECRET_REFERENCE = /\{\{\s*secrets\.([^}]*?)\s*\}\}/g;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What a result variable may be named: `__proto__` or `a.b` would not become one variable. */
const VARIABLE_NAME = /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]*$/;

interface Property extends ModdleElement {
  name?: string;
  value?: string;
}

/** The `zeebe:property` entries of an element, by name (the first one of a name wins, as the modeler writes one). */
export function zeebeProperties(node: FlowNode): Map<string, string> {
  const list = extension<ModdleElement & { properties?: Property[] }>(node, 'zeebe:Properties')?.properties ?? [];
  const result = new Map<string, string>();
  for (const p of list) if (p.name && !result.has(p.name)) result.set(p.name, (p.value ?? '').trim());
  return result;
}

/**
 * The webhook an element declares, or undefined (none, or a problem was
 * reported). `message` is the element's message when it has one: its name
 * is what a request publishes, so it must be a fixed name.
 */
export function readInboundWebhook(node: FlowNode, problems: Problems, message?: MessageDefinition): InboundWebhook | undefined {
  const props = zeebeProperties(node);
  const type = props.get('inbound.type');
  if (type === undefined) return undefined;
  const where = (field: string) => at(node, field);
  const before = problems.list.length;
  const problem = (field: string, text: string) => problems.add(where(field), `${node.id}: ${text}`);
  if (type !== WEBHOOK_TYPE) {
    problem('inbound.type', `inbound connector type "${type}" is not supported; Weft runs ${WEBHOOK_TYPE} (the HTTP webhook)`);
    return undefined;
  }
  if (message && 'feel' in message.name) problem('bpmn:Message.name', 'the message of a webhook must have a fixed name: a request publishes it before any variable is known');

  const context = props.get('inbound.context') ?? '';
  if (!context) problem('inbound.context', 'a webhook needs its id (inbound.context): it is the last part of its URL, /webhooks/<id>');
  else if (!WEBHOOK_CONTEXT.test(context) || context.length > MAX_CONTEXT) {
    problem('inbound.context', `webhook id "${context}" may hold only letters, digits and single "-" or "_" between them (at most ${MAX_CONTEXT} characters)`);
  }
  const method = (props.get('inbound.method') || 'any').toLowerCase();
  if (!(METHODS as readonly string[]).includes(method)) problem('inbound.method', `webhook method "${method}" is not one of ${METHODS.join(', ')}`);

  const feel = (name: string): string | undefined => {
    const raw = props.get(name);
    return raw ? expression(raw, where(name), problems) : undefined;
  };
  const credential = (name: string, required: boolean): string => {
    const raw = props.get(name) ?? '';
    if (!raw) {
      if (required) problem(name, `${name} is required`);
      return raw;
    }
    if (raw.startsWith('=')) problem(name, `${name} must be written out or be a {{secrets.NAME}} reference, not a FEEL expression`);
    for (const [, secret] of raw.matchAll(SECRET_REFERENCE)) {
      if (!SECRET_NAME.test(secret)) problem(name, `"${secret}" in ${name} is not a secret name (letters, digits, "_", "-", "."; a letter or "_" first)`);
    }
    return raw;
  };

  const webhook: InboundWebhook = { context, method: method as InboundWebhook['method'], auth: { type: 'NONE' }, consumeUnmatchedEvents: props.get('consumeUnmatchedEvents') === 'true' };
  if ((props.get('inbound.shouldValidateHmac') || 'disabled') === 'enabled') {
    const algorithm = props.get('inbound.hmacAlgorithm') || 'sha_256';
    if (!(ALGORITHMS as readonly string[]).includes(algorithm)) problem('inbound.hmacAlgorithm', `HMAC algorithm "${algorithm}" is not one of ${ALGORITHMS.join(', ')}`);
    const header = credential('inbound.hmacHeader', true);
    if (header && !HEADER_NAME.test(header)) problem('inbound.hmacHeader', `"${header}" is not an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-)`);
    webhook.hmac = { secret: credential('inbound.hmacSecret', true), header: header.toLowerCase(), algorithm: algorithm as 'sha_256' };
    const scopes = hmacScopes(props.get('inbound.hmacScopes'));
    if (scopes && !(scopes.length === 1 && scopes[0] === 'BODY')) {
      problem('inbound.hmacScopes', `HMAC scopes ${props.get('inbound.hmacScopes')} are not supported yet; Weft signs the raw body (["BODY"])`);
    }
  }
  readAuth(props, webhook, problem, credential, feel);

  const sync = props.get('synchronousResponse');
  if (sync === 'true') problem('synchronousResponse', 'the synchronous response mode is not supported yet; use the asynchronous one (the answer does not wait for the process)');
  const ttl = props.get('messageTtl');
  if (ttl) {
    const duration = parseDuration(ttl);
    if (!duration || duration.months !== 0 || duration.ms < 0) problem('messageTtl', `message TTL "${ttl}" is not an ISO 8601 duration such as PT1H`);
    else webhook.messageTtlMs = duration.ms;
  }
  const dedup = props.get('deduplicationId');
  if (props.get('deduplicationModeManualFlag') === 'true' && !(dedup && /^[a-zA-Z0-9_-]+$/.test(dedup))) {
    problem('deduplicationId', 'a manual deduplication id may hold only letters, digits, "-" and "_"');
  }

  const optional: [keyof InboundWebhook, string][] = [
    ['activationCondition', 'activationCondition'],
    ['correlationKeyExpression', 'correlationKeyExpression'],
    ['messageIdExpression', 'messageIdExpression'],
    ['resultExpression', 'resultExpression'],
    ['responseExpression', 'inbound.responseExpression'],
    ['responseBodyExpression', 'inbound.responseBodyExpression'],
    ['verificationExpression', 'inbound.verificationExpression'],
  ];
  for (const [key, name] of optional) {
    const value = feel(name);
    if (value !== undefined) (webhook as unknown as Record<string, unknown>)[key] = value;
  }
  const resultVariable = props.get('resultVariable');
  if (resultVariable && !VARIABLE_NAME.test(resultVariable)) problem('resultVariable', `"${resultVariable}" is not a variable name (a letter or _ first, then letters, digits, _)`);
  else if (resultVariable) webhook.resultVariable = resultVariable;
  return problems.list.length > before ? undefined : webhook;
}

function readAuth(
  props: Map<string, string>,
  webhook: InboundWebhook,
  problem: (field: string, text: string) => void,
  credential: (name: string, required: boolean) => string,
  feel: (name: string) => string | undefined,
): void {
  const type = props.get('inbound.auth.type') || 'NONE';
  if (type === 'BASIC') {
    webhook.auth = { type, username: credential('inbound.auth.username', true), password: credential('inbound.auth.password', true) };
  } else if (type === 'APIKEY') {
    const locator = feel('inbound.auth.apiKeyLocator');
    if (!locator) problem('inbound.auth.apiKeyLocator', 'an API key locator (FEEL over request) is required');
    webhook.auth = { type, apiKey: credential('inbound.auth.apiKey', true), apiKeyLocator: locator ?? '' };
  } else if (type !== 'NONE') {
    problem('inbound.auth.type', `authorization type "${type}" is not supported; Weft supports ${AUTH_TYPES.join(', ')}`);
  }
}

/** The scopes of `=["BODY"]`-like lists, upper-cased; undefined when not set. */
function hmacScopes(raw: string | undefined): string[] | undefined {
  if (!raw) return undefined;
  const inner = raw.replace(/^=/, '').trim().replace(/^\[|\]$/g, '');
  return inner.split(',').map((s) => s.trim().replace(/^"|"$/g, '').toUpperCase()).filter(Boolean);
}
