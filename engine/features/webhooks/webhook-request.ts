/**
 * What FEEL sees of a webhook request as `request`, the shape Camunda's
 * webhook connector gives it: `body` (JSON parsed, a form as an object of
 * its fields, an empty body as `{}`, other text as the string), `headers`
 * (names lower-case, as HTTP/1.1 and Node have them) and `params` (the
 * query string). Credentials are not part of it once authorization is
 * checked (`withoutCredentials`): a result expression mapping the whole
 * request must not copy a password into the process's variables.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { WeftError } from '../../errors.js';

export interface WebhookRequest {
  body: unknown;
  headers: Record<string, string>;
  params: Record<string, string>;
}

/** Headers that carry credentials: what authorization reads, never what the process gets. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    if (type === 'application/json' || type.endsWith('+json')) throw new WeftError('BAD_REQUEST', 'Malformed JSON body');
    return text;
  }
}

export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  // No prototype: a diagram's header name such as `constructor` must read as absent, not as a function.
  const result: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/** The query string's parameters; a name given twice keeps its first value (as Camunda does). */
export function queryParams(originalUrl: string): Record<string, string> {
  const index = originalUrl.indexOf('?');
  const params: Record<string, string> = {};
  if (index < 0) return params;
  for (const [name, value] of new URLSearchParams(originalUrl.slice(index + 1))) if (!(name in params)) params[name] = value;
  return params;
}

export function withoutCredentials(request: WebhookRequest): WebhookRequest {
  const headers = { ...request.headers };
  for (const name of CREDENTIAL_HEADERS) delete headers[name];
  return { ...request, headers };
}
