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
