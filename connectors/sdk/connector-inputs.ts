/**
 * A connector's inputs from a job: each top-level key of its input schema is
 * read from the job's variables (a task's `zeebe:input`s, evaluated by the
 * engine; dotted targets arrive nested) or, for fields bound to a task
 * header, from the headers. Validation failures name the field and reason.
 */
import type { z } from 'zod';
import type { JobContext } from '../../engine/worker/create-worker.js';
import type { Connector } from './define-connector.js';
import { ConnectorError, SdkErrorCodes } from './connector-error.js';

export function collectInputs(connector: Connector, job: JobContext): Record<string, unknown> {
  const fromHeaders = new Set(Object.entries(connector.fields).filter(([, f]) => f.binding === 'header').map(([path]) => path));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(connector.inputs.shape)) {
    const value = fromHeaders.has(key) ? job.headers[key] : job.variables[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The inputs parsed by the connector's schema, or a non-retryable error naming every field at fault. */
export function validateInputs<S extends z.ZodObject>(connector: Connector<S>, raw: Record<string, unknown>): z.infer<S> {
  const parsed = connector.inputs.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `input '${issue.path.map(String).join('.') || '(inputs)'}': ${issue.message}`);
  throw new ConnectorError(SdkErrorCodes.INVALID_INPUT, `Invalid input for ${connector.name}: ${problems.join('; ')}`, { configuration: true });
}
