/**
 * One attempt of a connector on a job, as a worker-SDK handler:
 *
 *   inputs (variables / headers) → {{secrets.NAME}} resolved → validated →
 *   run → result scrubbed → resultVariable / resultExpression →
 *   errorExpression → complete | throw a BPMN error | fail.
 *
 * Failing: bad input, an unknown secret, a header that cannot be used and a
 * non-retryable ConnectorError leave no retries (an incident); a retryable
 * one (or any other thrown error, a technical failure) spends one retry,
 * after the `retryBackoff` header or the peer's Retry-After, whichever is
 * longer.
 */
import type { Logger } from 'pino';
import type { JobContext, JobHandler } from '../../engine/worker/create-worker.js';
import { BpmnError } from '../../engine/worker/bpmn-error.js';
import { JobFailure } from '../../engine/worker/job-failure.js';
import type { SecretResolver } from '../../engine/secrets/types.js';
import { scrubStrings, scrubText } from '../../engine/security/redaction.js';
import type { Variables } from '../../engine/runtime/types.js';
import type { Connector } from './define-connector.js';
import { ConnectorError } from './connector-error.js';
import { collectInputs, validateInputs } from './connector-inputs.js';
import { resolveSecrets } from './secret-placeholders.js';
import { SECRET_NAMES_HEADER } from '../../engine/model/transformers/job-definition.js';
import { examineErrorExpression, resultVariables, retryBackoffMs, type ErrorOutcome, type ErrorView } from './connector-headers.js';

export interface HandlerOptions {
  secrets: SecretResolver;
  logger: Logger;
  /** Backoff between retries when the diagram sets no `retryBackoff` (default 1 s). */
  defaultBackoffMs?: number;
  /** Aborts every running attempt (the worker is closing). */
  closing?: AbortSignal;
  now?: () => string;
}

export function connectorHandler(connector: Connector, options: HandlerOptions): JobHandler {
  const now = options.now ?? (() => new Date().toISOString());
  const timeoutMs = connector.timeoutMs ?? 60_000;
  return async (job) => {
    const logger = options.logger.child({ connector: connector.type, jobKey: job.key });
    let backoffMs: number;
    let result: unknown;
    try {
      backoffMs = retryBackoffMs(job.headers) ?? options.defaultBackoffMs ?? 1000;
      const named = new Set((job.headers[SECRET_NAMES_HEADER] ?? '').split(',').filter(Boolean));
      const input = validateInputs(connector, await resolveSecrets(collectInputs(connector, job), options.secrets, named));
      const signals = [AbortSignal.timeout(timeoutMs), ...(options.closing ? [options.closing] : [])];
      // Whatever a peer echoed back (a secret in a response body) is scrubbed before it can become a variable.
      result = scrubStrings(await connector.run(input, { idempotencyKey: job.key, job, signal: AbortSignal.any(signals), logger }));
    } catch (error) {
      logger.info({ err: error }, 'connector attempt failed');
      throw failed(error, job, backoffMs!, now());
    }
    let variables: Variables;
    let verdict: ErrorOutcome | null;
    try {
      variables = resultVariables(result, job.headers, now());
      verdict = examineErrorExpression({ result }, job.headers, job.retries, now());
    } catch (error) {
      throw asFailure(error, 0);
    }
    if (verdict) throw fromVerdict(verdict, job);
    return variables;
  };
}

/** A failed attempt: the errorExpression may turn it into a BPMN error; otherwise it is retried or not by its own data. */
function failed(error: unknown, job: JobContext, backoffMs: number, now: string): Error {
  if (error instanceof ConnectorError && error.configuration) return asFailure(error, 0);
  let verdict: ErrorOutcome | null;
  try {
    verdict = examineErrorExpression({ error: errorView(error) }, job.headers, job.retries, now);
  } catch (headerError) {
    return asFailure(headerError, 0);
  }
  if (verdict) return fromVerdict(verdict, job);
  // Anything but a ConnectorError is a technical failure (a bug, a dropped connection): worth another try.
  if (error instanceof ConnectorError && !error.retryable) return asFailure(error, 0);
  const retryAfter = error instanceof ConnectorError ? (error.retryAfterMs ?? 0) : 0;
  return asFailure(error, job.retries - 1, Math.max(backoffMs, retryAfter));
}

function fromVerdict(verdict: ErrorOutcome, job: JobContext): Error {
  if (verdict.kind === 'bpmnError') return new BpmnError(verdict.code, scrubText(verdict.message), scrubStrings(verdict.variables));
  return new JobFailure(scrubText(verdict.message), Math.min(verdict.retries, Math.max(0, job.retries - 1)), verdict.retryBackoffMs);
}

function asFailure(error: unknown, retries: number, backoffMs = 0): JobFailure {
  const code = error instanceof ConnectorError ? `${error.code}: ` : '';
  const message = error instanceof Error ? error.message || error.name : String(error);
  return new JobFailure(scrubText(`${code}${message}`), Math.max(0, retries), backoffMs);
}

/** `error` as an errorExpression sees it (Camunda's shape: code, message, type, variables). */
function errorView(error: unknown): ErrorView {
  if (error instanceof ConnectorError) {
    return scrubStrings({ code: error.code, message: error.message, type: error.name, ...(error.variables ? { variables: error.variables } : {}) });
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return scrubStrings({ code: e.name, message: e.message, type: e.name });
}
