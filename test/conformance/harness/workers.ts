/**
 * The job workers of the harness: the Camunda 7 delegates its translations
 * turn into jobs (see dialects.ts), the workers a test registers, and the
 * job as a worker sees it.
 */
import type { JobSpec, Variables } from '../../../engine/runtime/types.js';
import { visibleVariables } from '../../../engine/runtime/variables.js';
import type { Instance } from './instance.js';

/** A worker for jobs of one type: returns the job's result variables. */
export type Worker = (job: JobSpec) => Variables;

/** What the harness does for Camunda 7 delegates (see dialects.ts). */
export const CAMUNDA7_DELEGATES: Readonly<Record<string, Worker>> = {
  // `camunda:expression="${true}"`: evaluating it changes nothing.
  'camunda7:expression': () => ({}),
  // The tests' UndoService counts its calls in the variable its `counterName` field names.
  'camunda7:UndoService': (job) => {
    const counter = job.headers.counterName;
    return { [counter]: Number(job.variables[counter] ?? 0) + 1 };
  },
};

/** The first job of a running instance that a worker is there for, if any. */
export function nextWorkableJob(instances: readonly Instance[], workers: ReadonlyMap<string, Worker>): { instance: Instance; jobKey: string } | undefined {
  for (const instance of instances) {
    if (instance.ended) continue;
    const job = Object.values(instance.state.jobs).find((j) => j.state === 'ACTIVATABLE' && workers.has(j.type));
    if (job) return { instance, jobKey: job.key };
  }
  return undefined;
}

/** The job as its worker sees it: created with headers and the variables visible then. */
export function jobSpec(instance: Instance, jobKey: string): JobSpec {
  const job = instance.state.jobs[jobKey];
  const model = instance.model.elements[job.elementId] as { headers?: Record<string, string> };
  const scopeKey = instance.state.elements[job.elementInstanceKey]?.key;
  return {
    key: job.key,
    type: job.type,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    retries: job.retries,
    headers: model.headers ?? {},
    variables: scopeKey ? visibleVariables(instance.state, scopeKey) : {},
  };
}
