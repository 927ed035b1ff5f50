import type { Behaviour } from './behaviour.js';
import { resolveValue } from '../feel.js';

/**
 * Service task: creates a job of its `zeebe:taskDefinition` type and waits for
 * a worker to complete it (see step.ts for COMPLETE_JOB / FAIL_JOB / THROW_ERROR).
 */
export const serviceTaskBehaviour: Behaviour<'serviceTask'> = {
  activate(run, element, instance) {
    const variables = run.variablesFor(instance);
    const type = resolveValue(element.jobType, variables, run.ctx.now);
    if (!type.ok || typeof type.value !== 'string' || type.value === '') {
      const message = type.ok ? `Job type must be a non-empty string, got ${JSON.stringify(type.value)}` : type.message;
      run.openIncident(instance, { type: 'EXPRESSION_FAILED', message, retry: 'activate' });
      return;
    }
    const retries = resolveValue(element.retries, variables, run.ctx.now);
    const count = retries.ok ? Number(retries.value) : NaN;
    if (!Number.isInteger(count) || count < 0) {
      const message = retries.ok ? `Retries must be a non-negative integer, got ${JSON.stringify(retries.value)}` : retries.message;
      run.openIncident(instance, { type: 'EXPRESSION_FAILED', message, retry: 'activate' });
      return;
    }
    const key = run.ctx.newId();
    instance.jobKey = key;
    run.state.jobs[key] = { key, type: type.value, elementInstanceKey: instance.key, elementId: element.id, retries: count, state: 'ACTIVATABLE' };
    run.emit({
      type: 'CREATE_JOB',
      job: { key, type: type.value, elementId: element.id, elementInstanceKey: instance.key, retries: count, headers: element.headers, variables },
    });
    run.audit('JOB_CREATED', instance, { jobKey: key, jobType: type.value, retries: count });
  },
  terminate(run, _element, instance) {
    const job = instance.jobKey ? run.state.jobs[instance.jobKey] : undefined;
    if (!job) return;
    delete run.state.jobs[job.key];
    run.emit({ type: 'FINISH_JOB', jobKey: job.key, state: 'CANCELED' });
    run.audit('JOB_CANCELED', instance, { jobKey: job.key });
  },
};
