/**
 * One webhook request, from the endpoint found to the answer, in the order
 * Camunda's webhook connector takes it: the method; a provider's one-time
 * verification; the HMAC signature over the raw body; the authorization;
 * the activation condition; then a start event starts an instance and any
 * other element's message is published (correlated to a waiting instance,
 * or starting one at a message start event) through the engine's message
 * service. Nothing changes before the last step, so any refusal leaves the
 * engine as it was.
 *
 * A delivery's id (`messageIdExpression`, else an `Idempotency-Key` header)
 * makes it idempotent: a start writes its key with the instance, a message
 * is published under it as its messageId; a replay is answered 200 with
 * `duplicate: true` and delivers nothing.
 */
import { WeftError } from '../../errors.js';
import type { EngineApi } from '../../service/types.js';
import type { SecretResolver } from '../../secrets/types.js';
import { findUnstorable } from '../../persistence/storable.js';
import { registerSecret, scrubStrings } from '../../security/redaction.js';
import { authorized } from './authorization.js';
import { signatureMatches } from './hmac.js';
import { resolveSecrets } from './secret-values.js';
import type { WebhookEndpoint } from './webhook-endpoints.js';
import { activates, keyValue, responseAnswer, resultVariables, verificationAnswer, type WebhookAnswer } from './webhook-expressions.js';
import { withoutCredentials, type WebhookRequest } from './webhook-request.js';

/**
 * How long a published message is kept when the diagram sets no
 * `messageTtl`: one hour, the default time to live of Camunda's clients.
 * It is also how long a replayed delivery is recognised by its id.
 */
export const DEFAULT_MESSAGE_TTL_MS = 3600_000;

export interface IncomingWebhook {
  method: string;
  request: WebhookRequest;
  rawBody: Buffer;
}

export interface DeliveryDeps {
  engine: EngineApi;
  secrets: SecretResolver;
  /** Told when the response expression fails after the delivery was made (the default answer goes out instead). */
  warn(message: string, detail: Record<string, unknown>): void;
}

export async function deliver(endpoint: WebhookEndpoint, incoming: IncomingWebhook, deps: DeliveryDeps): Promise<WebhookAnswer> {
  const { engine, secrets } = deps;
  const { webhook } = endpoint.element;
  const now = new Date().toISOString();
  if (webhook.method !== 'any' && webhook.method !== incoming.method.toLowerCase()) {
    throw new WeftError('METHOD_NOT_ALLOWED', `Webhook ${endpoint.context} accepts ${webhook.method.toUpperCase()} only`);
  }
  const unstorable = findUnstorable(incoming.request, 'request');
  if (unstorable) throw new WeftError('BAD_REQUEST', `Invalid request: '${unstorable.path}' ${unstorable.message}`, [unstorable]);
  const verification = verificationAnswer(webhook, withoutCredentials(incoming.request), now);
  if (verification) return verification;

  if (webhook.hmac) {
    const secret = await resolveSecrets(webhook.hmac.secret, secrets);
    registerSecret(secret);
    const provided = incoming.request.headers[webhook.hmac.header];
    if (!signatureMatches(webhook.hmac.algorithm, secret, incoming.rawBody, provided)) throw new WeftError('UNAUTHORIZED', 'The webhook request is not signed with the shared secret (HMAC check failed)');
  }
  if (!(await authorized(webhook.auth, incoming.request, secrets, now))) throw new WeftError('UNAUTHORIZED', 'The webhook request is not authorized');

  // From here on the request is the process's data: without credentials, and without any known secret's value.
  const request = scrubStrings(withoutCredentials(incoming.request));
  if (!activates(webhook, request, now)) {
    if (webhook.consumeUnmatchedEvents) return { status: 200, headers: {}, body: { activated: false } };
    throw new WeftError('ACTIVATION_CONDITION_NOT_MET', `The request does not meet the activation condition of webhook ${endpoint.context}`);
  }
  const variables = resultVariables(webhook, request, now);
  const deliveryId = keyValue(webhook.messageIdExpression, 'messageIdExpression', request, now) ?? (request.headers['idempotency-key'] || undefined);
  const actor = `webhook:${endpoint.context}`;
  const { element } = endpoint;

  let correlation: Record<string, unknown>;
  let answer: Record<string, unknown>;
  if (element.kind === 'startEvent') {
    const startKey = deliveryId === undefined ? undefined : `webhook:${endpoint.context}:${deliveryId}`;
    const started = await engine.startInstance({ processId: endpoint.processId, version: endpoint.version, variables, startKey }, actor);
    correlation = { type: 'PROCESS_INSTANCE_CREATED', processInstanceKey: started.id, bpmnProcessId: started.processId, version: started.version };
    answer = { processInstanceId: started.id, processId: started.processId, version: started.version, duplicate: started.duplicate === true };
  } else {
    const name = 'value' in element.message!.name ? element.message!.name.value : '';
    const correlationKey = keyValue(webhook.correlationKeyExpression, 'correlationKeyExpression', request, now) ?? '';
    const published = await engine.publishMessage({ name, correlationKey, variables, messageId: deliveryId, timeToLiveMs: webhook.messageTtlMs ?? DEFAULT_MESSAGE_TTL_MS }, actor);
    correlation = { type: 'MESSAGE_PUBLISHED', messageKey: published.messageKey };
    const reached = [...published.correlated, ...published.started].map((r) => r.processInstanceId);
    answer = { messageKey: published.messageKey, duplicate: published.duplicate, processInstanceIds: reached };
  }
  const fallback = { status: 200, headers: {}, body: answer };
  try {
    return responseAnswer(webhook, request, correlation, now) ?? fallback;
  } catch (error) {
    // Delivered already: a 4xx now would make the sender retry what the process has.
    deps.warn('webhook response expression failed; answered the default', { context: endpoint.context, err: error });
    return fallback;
  }
}
