import type { Behaviour } from './behaviour.js';
import { cancelJob, createJob } from '../jobs.js';

/**
 * Service task: creates a job of its `zeebe:taskDefinition` type and waits for
 * a worker to complete it (see step.ts for COMPLETE_JOB / FAIL_JOB / THROW_ERROR).
 */
export const serviceTaskBehaviour: Behaviour<'serviceTask'> = {
  activate(run, element, instance) {
    createJob(run, element, instance, run.variablesFor(instance));
  },
  terminate(run, _element, instance) {
    cancelJob(run, instance);
  },
};
