import type { ElementKind } from '../../model/types.js';
import type { JobSource } from '../jobs.js';
import type { Behaviour } from './behaviour.js';
import { cancelJob, createJob } from '../jobs.js';

/**
 * Elements that are done by a worker: a job of their `zeebe:taskDefinition`
 * type is created, and the element completes with the worker's result
 * (service task; message throw and end events, which Camunda 8 also hands to
 * a worker that sends the message).
 */
export function jobBehaviour<K extends ElementKind>(): Behaviour<K> {
  return {
    activate(run, element, instance) {
      createJob(run, element as unknown as JobSource, instance, run.variablesFor(instance), run.variablesForWork(instance));
    },
    terminate(run, _element, instance) {
      cancelJob(run, instance);
    },
  };
}
