import { jobBehaviour } from './job-behaviour.js';

/**
 * Service task: creates a job of its `zeebe:taskDefinition` type and waits for
 * a worker to complete it (see step.ts for COMPLETE_JOB / FAIL_JOB / THROW_ERROR).
 */
export const serviceTaskBehaviour = jobBehaviour<'serviceTask'>();
