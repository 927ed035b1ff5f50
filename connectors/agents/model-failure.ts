/**
 * A model call that failed, in words an operator can act on: the provider
 * refused the key, has no such model, or could not be reached, with the
 * connection and endpoint it was, instead of the provider client's own text
 * (which may quote the request, and once echoed a whole key back). Whether
 * another attempt can help is part of the answer: a refused key or an
 * unknown model stays so until someone changes the configuration, so the run
 * stops at once with an incident; an unreachable provider is retried.
 */
import type { ModelConnection } from '../../engine/connections/connection-schema.js';
import { ENV_REFERENCE } from '../../engine/connections/connection-schema.js';
import { OFFICIAL_BASE_URLS } from '../../engine/connections/load-connections.js';

/** Thrown by the run around the model call only, so that what failed is known to be the provider. */
export class ModelCallError extends Error {
  constructor(readonly original: unknown) {
    super(`model call failed: ${(original as Error)?.message ?? String(original)}`);
    this.name = 'ModelCallError';
  }
}

export interface ModelFailure {
  message: string;
  /** Whether another attempt may succeed without a change of configuration. */
  retry: boolean;
}

const NETWORK_CODES = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/;

/** The plain account of `error` (the provider client's), or null when it is none of the known kinds (the caller keeps its own text). */
export function describeModelFailure(error: unknown, where: { agent: string; model: string; connection: string; settings: ModelConnection }): ModelFailure | null {
  const e = (error ?? {}) as { status?: unknown; lc_error_code?: unknown; name?: unknown; message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } };
  const endpoint = where.settings.baseUrl ?? OFFICIAL_BASE_URLS[where.settings.kind];
  const at = `the model provider at ${endpoint} (connection '${where.connection}')`;
  if (e.status === 401 || e.status === 403 || e.lc_error_code === 'MODEL_AUTHENTICATION') {
    const variables = variablesOf(where.settings);
    const check = variables.length ? `Check the key in ${variables.join(' and ')}` : `The connection sends no key; give it credentials in WEFT_CONNECTIONS`;
    return { retry: false, message: `Agent '${where.agent}': ${at} refused its credentials (HTTP ${typeof e.status === 'number' ? e.status : 401}). ${check}, restart Weft, then retry.` };
  }
  if (e.status === 404 || e.lc_error_code === 'MODEL_NOT_FOUND') {
    return { retry: false, message: `Agent '${where.agent}': ${at} has no model ${where.model} (HTTP 404). Name a model it serves in the definition's model.model, deploy it, then retry.` };
  }
  const text = [e.code, e.cause?.code, e.message, e.cause?.message].filter((x) => typeof x === 'string').join(' ');
  const network = NETWORK_CODES.exec(text)?.[1];
  if (network || e.name === 'APIConnectionError' || e.name === 'TimeoutError' || /fetch failed|Connection error/i.test(text)) {
    return { retry: true, message: `Agent '${where.agent}' could not reach ${at}${network ? ` (${network})` : ''}. Check that it runs and that this server can reach it.` };
  }
  return null;
}

function variablesOf(connection: ModelConnection): string[] {
  return [...new Set([...JSON.stringify(connection.credentials ?? {}).matchAll(new RegExp(ENV_REFERENCE.source, 'g'))].map((m) => m[1]))];
}
