/**
 * A webhook's FEEL expressions evaluated over a request, with Camunda's
 * webhook connector's meaning (facts from its documentation and runtime):
 *
 * - `activationCondition`: only `true` lets the request through;
 * - `resultVariable` receives `{request, connectorData}`; `resultExpression`
 *   is evaluated over the same context and must give a context, whose
 *   entries become variables (both may be set; neither sets nothing);
 * - `correlationKeyExpression` and `messageIdExpression` give a string (a
 *   number is taken as its text);
 * - the response expression gives `{body, statusCode, headers}` over
 *   `{request, correlation}`.
 *
 * A failure is a 422 naming the property, never the request's values.
 */
import { WeftError } from '../../errors.js';
import type { InboundWebhook } from '../../model/types.js';
import { evaluateFeel } from '../../runtime/feel.js';
import type { Variables } from '../../runtime/types.js';
import type { WebhookRequest } from './webhook-request.js';

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const unprocessable = (property: string, why: string) => new WeftError('WEBHOOK_REQUEST_UNPROCESSABLE', `The webhook's ${property} ${why}`, { property });

function evaluate(expression: string, property: string, context: Variables, now: string): unknown {
  const result = evaluateFeel(expression, context, now);
  if (!result.ok) throw unprocessable(property, `could not be evaluated over the request: ${result.message}`);
  return result.value;
}

/** Whether the activation condition (if any) accepts the request. */
export function activates(webhook: InboundWebhook, request: WebhookRequest, now: string): boolean {
  if (!webhook.activationCondition) return true;
  const result = evaluateFeel(webhook.activationCondition, { request }, now);
  // A condition that cannot be evaluated (a missing field) does not hold: the request is not for this webhook.
  return result.ok && result.value === true;
}

export function resultVariables(webhook: InboundWebhook, request: WebhookRequest, now: string): Variables {
  const context: Variables = { request, connectorData: {} };
  const variables: Variables = {};
  if (webhook.resultVariable) variables[webhook.resultVariable] = context;
  if (webhook.resultExpression) {
    const value = evaluate(webhook.resultExpression, 'resultExpression', context, now);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw unprocessable('resultExpression', 'must give a context ({name: value, …}) whose entries become variables');
    Object.assign(variables, value);
  }
  return variables;
}

/** A key-like value (correlation key, message id); undefined when its expression is not set. */
export function keyValue(expression: string | undefined, property: string, request: WebhookRequest, now: string): string | undefined {
  if (!expression) return undefined;
  const value = evaluate(expression, property, { request, connectorData: {} }, now);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw unprocessable(property, 'must give a string or a number; it gave ' + (value === null ? 'null' : typeof value));
}

/** The verification answer of a provider's challenge request, or null when this request is no such challenge. */
export function verificationAnswer(webhook: InboundWebhook, request: WebhookRequest, now: string): WebhookAnswer | null {
  if (!webhook.verificationExpression) return null;
  const value = evaluate(webhook.verificationExpression, 'verificationExpression', { request }, now);
  return value === null || value === undefined ? null : toAnswer(value, false);
}

/** The answer the response expression (or response body expression) makes, or null when neither is set. */
export function responseAnswer(webhook: InboundWebhook, request: WebhookRequest, correlation: Record<string, unknown>, now: string): WebhookAnswer | null {
  const context = { request, correlation };
  if (webhook.responseExpression) return toAnswer(evaluate(webhook.responseExpression, 'responseExpression', context, now), false);
  if (webhook.responseBodyExpression) return toAnswer(evaluate(webhook.responseBodyExpression, 'responseBodyExpression', context, now), true);
  return null;
}

/** `{body, statusCode, headers}`; a status outside 200–599 or not a whole number is 200, a header that is not text is left out. */
function toAnswer(value: unknown, bodyOnly: boolean): WebhookAnswer {
  if (bodyOnly || value === null || typeof value !== 'object' || Array.isArray(value)) return { status: 200, headers: {}, body: value ?? null };
  const { body = null, statusCode, headers } = value as { body?: unknown; statusCode?: unknown; headers?: unknown };
  const status = typeof statusCode === 'number' && Number.isInteger(statusCode) && statusCode >= 200 && statusCode <= 599 ? statusCode : 200;
  const picked: Record<string, string> = {};
  if (headers && typeof headers === 'object' && !Array.isArray(headers)) {
    for (const [name, v] of Object.entries(headers)) if (typeof v === 'string' || typeof v === 'number') picked[name] = String(v);
  }
  return { status, headers: picked, body };
}
