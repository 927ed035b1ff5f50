/**
 * A backing service (Postgres, Redis) could not be reached or refused us.
 * The message names the service, the address (never the password) and how to
 * start it, because this is the first thing a new user sees when it goes wrong.
 */
export class ConnectionError extends Error {
  constructor(
    readonly service: 'Postgres' | 'Redis',
    readonly address: string,
    reason: string,
    hint: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot connect to ${service} at ${address}: ${reason.replace(/\.$/, '')}. ${hint}`, options);
    this.name = 'ConnectionError';
  }
}

/** host:port of a URL, with the service's default port filled in. */
export function addressOf(url: string, defaultPort: number): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname.startsWith('[') ? parsed.hostname : parsed.hostname || 'localhost';
    return `${host}:${parsed.port || defaultPort}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** The useful part of a low-level error: its code and message, e.g. "ECONNREFUSED". */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || String(code ?? error.name);
    return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
  }
  return String(error);
}

/** Socket-level failures: the peer is not there (yet), or went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Postgres SQLSTATEs that mean "the server is not serving right now": class 08
 * (connection exception), admin/crash shutdown, starting up or shutting down
 * (57P01-57P03), too many connections (53300).
 */
const POSTGRES_UNAVAILABLE = /^(08\d{3}|08P01|57P0[123]|53300)$/;

/**
 * What pg and ioredis say, without a code, when the connection is gone. knex
 * puts the query in front of a failed query's message (`select … - Connection
 * terminated unexpectedly`), hence the optional ` - ` prefix.
 */
const KNEX_PREFIX = String.raw`(?:^|\s-\s)`;
const POSTGRES_MESSAGES = [
  'Connection terminated(?: unexpectedly| due to connection timeout)?',
  'Client has encountered a connection error and is not queryable',
  'Connection ended unexpectedly',
  'timeout exceeded when trying to connect',
].map((m) => new RegExp(`${KNEX_PREFIX}${m}$`));
const REDIS_MESSAGES = [
  /^Connection is closed\.$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^LOADING /,
  // A Redis Cluster (ioredis Cluster) that is down, not reached yet, or has slots no master serves (a failover under way).
  /^Cluster isn't ready and enableOfflineQueue options is false$/,
  /^None of startup nodes is available$/,
  /^Failed to refresh slots cache\.$/,
  /^CLUSTERDOWN /,
  /^TRYAGAIN /,
];

/**
 * Which backing service an error says is unavailable (down, restarting,
 * unreachable), or null when the error is something else. Such an error is
 * transient: the same request succeeds once the service is back, so the API
 * answers 503 with Retry-After and workers try again.
 */
export function unavailableService(error: unknown, depth = 0): 'Postgres' | 'Redis' | 'A backing service' | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  if (error instanceof ConnectionError) return error.service;
  const e = error as { name?: string; code?: unknown; message?: string; severity?: unknown; cause?: unknown; errors?: unknown[] };
  const message = e.message ?? '';
  if (e.name === 'KnexTimeoutError') return 'Postgres';
  if (e.name === 'MaxRetriesPerRequestError') return 'Redis';
  if (typeof e.code === 'string') {
    if (typeof e.severity === 'string' && POSTGRES_UNAVAILABLE.test(e.code)) return 'Postgres';
    // A socket error does not say whose socket it was.
    if (SOCKET_CODES.has(e.code)) return 'A backing service';
  }
  if (POSTGRES_MESSAGES.some((m) => m.test(message))) return 'Postgres';
  if (REDIS_MESSAGES.some((m) => m.test(message))) return 'Redis';
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = unavailableService(inner, depth + 1);
    if (found) return found;
  }
  return null;
}
