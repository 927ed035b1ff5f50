/**
 * The task headers Camunda 8's outbound connectors read, with the same
 * meaning here, so a diagram made with a Camunda connector template runs
 * unchanged:
 *
 * - `resultVariable`: the whole result under that name;
 * - `resultExpression`: FEEL over the result (its fields, and all of it as
 *   `response`); the keys of the context it returns become variables;
 * - `errorExpression`: FEEL evaluated after every attempt, over `error`
 *   ({code, message, type, variables}) on a failure, over the result on a
 *   success (with `error` null), and `job.retries`; it may return
 *   `bpmnError(code, message, variables?)` (the job throws that BPMN error)
 *   or `jobError(message, variables?, retries?, retryBackoff?)` (the job
 *   fails; retries default 0, an incident); null or `{}` leaves the outcome
 *   as it was;
 * - `retryBackoff`: an ISO 8601 duration between retries.
 *
 * Expressions run under the engine's FEEL bounds (engine/runtime/feel.ts).
 * A header that cannot be used is the connector's mistake in the diagram:
 * an incident naming the header.
 */
import { evaluateFeel, evaluateFeelOrNull } from '../../engine/runtime/feel.js';
import { parseDuration } from '../../engine/runtime/waits/iso-duration.js';
import type { Variables } from '../../engine/runtime/types.js';
import { ConnectorError, SdkErrorCodes } from './connector-error.js';

export type ErrorOutcome =
  | { kind: 'bpmnError'; code: string; message: string; variables: Variables }
  | { kind: 'jobError'; message: string; variables: Variables; retries: number; retryBackoffMs: number };

/** What `error` holds in an errorExpression when the attempt failed. */
export interface ErrorView {
  code: string;
  message: string;
  type: string;
  variables?: Record<string, unknown>;
}

const invalid = (header: string, reason: string) => new ConnectorError(SdkErrorCodes.INVALID_HEADER, `Task header '${header}' ${reason}`, { configuration: true });

const stripEquals = (text: string) => text.trim().replace(/^=/, '');

/** `retryBackoff` in ms, or undefined when the header is absent. */
export function retryBackoffMs(headers: Record<string, string>): number | undefined {
  const text = headers.retryBackoff?.trim();
  if (!text) return undefined;
  const duration = parseDuration(text);
  if (!duration || duration.months !== 0 || duration.ms < 0) throw invalid('retryBackoff', `must be an ISO 8601 duration such as PT30S (months and years are not allowed), got '${text}'`);
  return duration.ms;
}

/** The variables a successful result sets: `resultVariable` and the keys of `resultExpression`. */
export function resultVariables(result: unknown, headers: Record<string, string>, now: string): Variables {
  const out: Variables = {};
  const name = headers.resultVariable?.trim();
  if (name) out[name] = result;
  const expression = headers.resultExpression?.trim();
  if (expression) {
    const evaluated = evaluateFeel(stripEquals(expression), resultContext(result), now);
    if (!evaluated.ok) throw invalid('resultExpression', `could not be evaluated: ${evaluated.message}`);
    const value = evaluated.value;
    if (value === null) return out;
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid('resultExpression', `must give a context whose keys become variables, got ${JSON.stringify(value)}`);
    Object.assign(out, value);
  }
  return out;
}

/**
 * The errorExpression's verdict: a BPMN error, a job error, or null (keep
 * the attempt's own outcome). `attempt` is the result of a success or the
 * error of a failure.
 */
export function examineErrorExpression(attempt: { result: unknown } | { error: ErrorView }, headers: Record<string, string>, retries: number, now: string): ErrorOutcome | null {
  const expression = headers.errorExpression?.trim();
  if (!expression) return null;
  const context = { ...('error' in attempt ? { error: attempt.error } : { ...resultContext(attempt.result), error: null }), job: { retries }, bpmnError, jobError };
  const evaluated = evaluateFeelOrNull(stripEquals(expression), context, now);
  if (!evaluated.ok) throw invalid('errorExpression', `could not be evaluated: ${evaluated.message}`);
  return verdict(evaluated.value);
}

function verdict(value: unknown): ErrorOutcome | null {
  if (value === null || (isContext(value) && Object.keys(value).length === 0)) return null;
  if (!isContext(value)) throw invalid('errorExpression', `must give bpmnError(…), jobError(…) or null, got ${JSON.stringify(value).slice(0, 200)}`);
  const v = value as Record<string, unknown>;
  const variables = isContext(v.variables) ? v.variables : {};
  if (v.errorType === 'bpmnError') {
    // A BPMN error without a code matches no catch event: it is no verdict (as in Camunda).
    if (typeof v.code !== 'string' || v.code === '') return null;
    return { kind: 'bpmnError', code: v.code, message: typeof v.message === 'string' ? v.message : v.code, variables };
  }
  if (v.errorType === 'jobError') {
    const retries = typeof v.retries === 'number' && Number.isInteger(v.retries) && v.retries >= 0 ? v.retries : 0;
    let backoff = 0;
    if (typeof v.retryBackoff === 'string') {
      const d = parseDuration(v.retryBackoff);
      if (!d || d.months !== 0 || d.ms < 0) throw invalid('errorExpression', `gave jobError a retryBackoff that is no duration: '${v.retryBackoff}'`);
      backoff = d.ms;
    }
    return { kind: 'jobError', message: typeof v.message === 'string' ? v.message : 'Job failed by the error expression', variables, retries, retryBackoffMs: backoff };
  }
  throw invalid('errorExpression', `must give bpmnError(…), jobError(…) or null, got ${JSON.stringify(value).slice(0, 200)}`);
}

/** The result's own fields, and the whole result as `response` (Camunda's resultExpression reads either). */
function resultContext(result: unknown): Variables {
  return isContext(result) ? { ...result, response: result } : { response: result };
}

/** FEEL function `bpmnError(code, message, variables?)`. */
function bpmnError(code: unknown, message: unknown, variables?: unknown) {
  return { errorType: 'bpmnError', code, message, variables: variables ?? {} };
}

/** FEEL function `jobError(message, variables?, retries?, retryBackoff?)`. */
function jobError(message: unknown, variables?: unknown, retries?: unknown, retryBackoff?: unknown) {
  return { errorType: 'jobError', message, variables: variables ?? {}, retries: retries ?? 0, retryBackoff: retryBackoff ?? null };
}

function isContext(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
