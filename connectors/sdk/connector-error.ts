/**
 * What a connector throws when its work fails. Whether to try again is data
 * on the error (as in Temporal's SDK), not a guess from its message:
 *
 * - `retryable`: the job is failed with one retry less and a backoff (the
 *   `retryBackoff` header, or `retryAfterMs` when the peer asked for longer);
 * - not retryable: the job is failed with no retries left, an incident.
 *
 * `code` is what an `errorExpression` sees as `error.code` (the HTTP
 * connector uses the status, "404"), and `variables` what it sees as
 * `error.variables` (the HTTP connector puts the response there).
 */
export class ConnectorError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly variables?: Record<string, unknown>;
  /**
   * A mistake in the diagram or the server's configuration (bad input, an
   * unknown secret, a refused address): always an incident, never seen by the
   * errorExpression, so a catch-all `bpmnError(error.code, …)` cannot hide it.
   */
  readonly configuration: boolean;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; retryAfterMs?: number; variables?: Record<string, unknown>; configuration?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.variables = options.variables;
    this.configuration = options.configuration ?? false;
  }
}

/** Codes the SDK itself raises (a connector's own codes are its business). */
export const SdkErrorCodes = {
  /** An input failed its schema: the message names the field. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** A `{{secrets.NAME}}` no source holds. */
  SECRET_NOT_FOUND: 'SECRET_NOT_FOUND',
  /** A task header (resultExpression, errorExpression, retryBackoff) that cannot be used. */
  INVALID_HEADER: 'INVALID_HEADER',
} as const;
