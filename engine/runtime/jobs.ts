/**
 * Jobs, as the behaviours that wait on a worker create and cancel them
 * (service task, the agent turns of an ad-hoc sub-process).
 */
import type { ValueOrExpression } from '../model/types.js';
import type { ElementInstance, Variables } from './types.js';
import type { Run } from './run.js';
import { resolveValue } from './feel.js';
import { dropToolJobs } from './tool-jobs.js';

export interface JobSource {
  id: string;
  jobType: ValueOrExpression;
  retries: ValueOrExpression;
  headers: Record<string, string>;
}

/**
 * Resolves the job type and retries (FEEL allowed) against `scope` and
 * creates the job the instance then waits on, handing the worker `variables`.
 * A type or retries that do not resolve open an incident; returns the job key,
 * or undefined then.
 */
export function createJob(run: Run, source: JobSource, instance: ElementInstance, scope: Variables, variables: Variables = scope, audit: Record<string, unknown> = {}): string | undefined {
  const type = resolveValue(source.jobType, scope, run.ctx.now);
  if (!type.ok || typeof type.value !== 'string' || type.value === '') {
    const message = type.ok ? `Job type must be a non-empty string, got ${JSON.stringify(type.value)}` : type.message;
    run.openIncident(instance, { type: 'EXPRESSION_FAILED', message, retry: 'activate' });
    return undefined;
  }
  const retries = resolveValue(source.retries, scope, run.ctx.now);
  const count = retries.ok ? Number(retries.value) : NaN;
  if (!Number.isInteger(count) || count < 0) {
    const message = retries.ok ? `Retries must be a non-negative integer, got ${JSON.stringify(retries.value)}` : retries.message;
    run.openIncident(instance, { type: 'EXPRESSION_FAILED', message, retry: 'activate' });
    return undefined;
  }
  const key = run.ctx.newId();
  instance.jobKey = key;
  run.state.jobs[key] = { key, type: type.value, elementInstanceKey: instance.key, elementId: source.id, retries: count, state: 'ACTIVATABLE' };
  run.emit({
    type: 'CREATE_JOB',
    job: { key, type: type.value, elementId: source.id, elementInstanceKey: instance.key, retries: count, headers: source.headers, variables },
  });
  run.audit('JOB_CREATED', instance, { jobKey: key, jobType: type.value, retries: count, ...audit });
  return key;
}

/** Cancels the job the instance waits on, if any (the element is terminated). */
export function cancelJob(run: Run, instance: ElementInstance): void {
  const job = instance.jobKey ? run.state.jobs[instance.jobKey] : undefined;
  if (!job) return;
  dropToolJobs(run, job);
  delete run.state.jobs[job.key];
  run.emit({ type: 'FINISH_JOB', jobKey: job.key, state: 'CANCELED' });
  run.audit('JOB_CANCELED', instance, { jobKey: job.key });
}
