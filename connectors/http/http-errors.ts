/**
 * How the HTTP connector's failures are classified (data on the error, see
 * connectors/sdk/connector-error.ts): the network and the peer's temporary
 * trouble (429, 5xx, timeouts, resets) are retried, honouring Retry-After;
 * every other 4xx is not, with the status as the code so an errorExpression
 * can map `error.code = "404"` to a BPMN error; a refused address, a response
 * past the size limit and a bad URL are incidents.
 */
import { ConnectorError } from '../sdk/connector-error.js';
import type { HttpResult } from './http-transport.js';

export const HttpErrorCodes = {
  ADDRESS_NOT_ALLOWED: 'ADDRESS_NOT_ALLOWED',
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  TIMEOUT: 'TIMEOUT',
  NETWORK_ERROR: 'NETWORK_ERROR',
  OAUTH_TOKEN_FAILED: 'OAUTH_TOKEN_FAILED',
} as const;

export function addressRefused(why: string): ConnectorError {
  return new ConnectorError(HttpErrorCodes.ADDRESS_NOT_ALLOWED, why, { configuration: true });
}

export function tooLarge(limit: number): ConnectorError {
  return new ConnectorError(HttpErrorCodes.RESPONSE_TOO_LARGE, `The response is larger than the HTTP connector's limit of ${limit} bytes (WEFT_CONNECTOR_MAX_RESPONSE_BYTES)`);
}

export function timedOut(what: 'connect' | 'read', seconds: number, target: string): ConnectorError {
  const message = what === 'connect' ? `Could not connect to ${target} within ${seconds} s (connectionTimeoutInSeconds)` : `${target} sent nothing for ${seconds} s (readTimeoutInSeconds)`;
  return new ConnectorError(HttpErrorCodes.TIMEOUT, message, { retryable: true });
}

export function networkError(error: Error & { code?: string }, target: string): ConnectorError {
  return new ConnectorError(HttpErrorCodes.NETWORK_ERROR, `Calling ${target} failed: ${error.code ?? error.message}`, { retryable: true, cause: error });
}

/** A response that is not a success, as an error carrying it (`error.variables.response`, as Camunda's REST connector gives it). */
export function statusError(response: HttpResult, target: string, now = Date.now()): ConnectorError {
  const retryable = response.status === 429 || response.status >= 500;
  const retryAfter = header(response, 'retry-after');
  return new ConnectorError(String(response.status), `${target} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, {
    retryable,
    retryAfterMs: retryable && retryAfter ? retryAfterMs(retryAfter, now) : undefined,
    variables: { response: { status: response.status, headers: response.headers, body: response.body } },
  });
}

/** Retry-After as ms from `now`: delay-seconds or an HTTP date; undefined when it is neither. */
export function retryAfterMs(value: string, now = Date.now()): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(response: HttpResult, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
