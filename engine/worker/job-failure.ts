/**
 * Thrown by a job handler that knows how its failure should be retried: with
 * how many retries left (0 opens an incident at once) and after which
 * backoff. Any other thrown error spends one retry with the worker's backoff.
 * The connector SDK uses it for bad input (no retry) and for a server's
 * Retry-After (a longer backoff).
 */
export class JobFailure extends Error {
  constructor(
    message: string,
    /** Retries the job keeps; 0 opens an incident. */
    readonly retries: number,
    /** Wait before the next attempt (ignored when no retry is left). */
    readonly retryBackoffMs = 0,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}
