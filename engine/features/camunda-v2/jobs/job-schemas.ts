/**
 * The /v2 job request bodies, as Camunda's TypeScript client sends them
 * (field names from its published type declarations). Written here, not
 * taken from Camunda's OpenAPI document. A mistake is a 400 naming the field.
 */
import { z } from 'zod';
import { variablesSchema } from '../../../api/schemas.js';
import { exact, keyText, sortOrder } from '../filters.js';
import { pageRequest, tenantId } from '../search.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
/** Camunda's clients send `<default>` when no tenant is named; Weft has one tenant. */
const tenantIds = z.array(z.literal('<default>', { error: "must be '<default>': Weft has one tenant" })).optional();
const DAY_MS = 86_400_000;

export const activationBody = z.object({
  type: nonEmpty.max(255),
  worker: z.string().max(255).optional(),
  /** The job lock in ms. */
  timeout: z.number().int().min(1, 'must be at least 1 ms').max(DAY_MS),
  maxJobsToActivate: z.number().int().min(1, 'must be at least 1').max(1000),
  fetchVariable: z.array(z.string()).optional(),
  /** 0: the server's default hold; negative: answer at once. */
  requestTimeout: z.number().int().max(DAY_MS).optional(),
  tenantIds,
  tenantFilter: z.enum(['PROVIDED', 'ASSIGNED']).optional(),
});
export type ActivationBody = z.output<typeof activationBody>;

const nullableVariables = variablesSchema.nullish();

const activateElement = z.object({
  elementId: nonEmpty,
  variables: nullableVariables,
});

/** A completion's result: only the ad-hoc sub-process kind means something to Weft's jobs. */
const jobResult = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('adHocSubProcess'),
    activateElements: z.array(activateElement).optional(),
    isCompletionConditionFulfilled: z.boolean().optional(),
    isCancelRemainingInstances: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal("userTask") }),
]);

export const completionBody = z.object({
  variables: nullableVariables,
  result: jobResult.nullish(),
});

export const failureBody = z.object({
  retries: z.number().int().min(0).default(0),
  errorMessage: z.string().max(10_000).nullish(),
  /** ms before the job may be activated again; without it, at once (as Camunda 8). */
  retryBackOff: z.number().int().min(0).max(DAY_MS).optional(),
  variables: nullableVariables,
});

export const errorBody = z.object({
  errorCode: nonEmpty.max(255),
  errorMessage: z.string().max(10_000).nullish(),
  variables: nullableVariables,
});

export const updateBody = z.object({
  changeset: z
    .object({
      /** Zeebe refuses fewer than 1: a job is given attempts, it is not failed this way. */
      retries: z.number().int().min(1, 'must be at least 1').max(1_000_000).nullish(),
      timeout: z.number().int().min(1).max(DAY_MS).nullish(),
    })
    .refine((c) => c.retries != null || c.timeout != null, 'must change retries or timeout'),
  operationReference: z.number().int().optional(),
});

/** Job fields a search may sort by, and the jobs column each means (keys are handed out in creation order, as Zeebe's grow). */
export const JOB_SORT_COLUMNS = {
  jobKey: 'created_at',
  creationTime: 'created_at',
  lastUpdateTime: 'updated_at',
  type: 'type',
  state: 'state',
  worker: 'worker_id',
  elementId: 'element_id',
  retries: 'retries',
  deadline: 'deadline',
  processDefinitionId: 'process_id',
  processInstanceKey: 'process_instance_id',
} as const;

export const searchBody = z.strictObject({
  filter: z
    .strictObject({
      type: exact(z.string()).optional(),
      state: exact(z.enum(['CREATED', 'COMPLETED', 'FAILED', 'ERROR_THROWN', 'CANCELED', 'TIMED_OUT', 'RETRIES_UPDATED', 'MIGRATED'])).optional(),
      processInstanceKey: exact(keyText).optional(),
      jobKey: exact(keyText).optional(),
      worker: exact(z.string()).optional(),
      elementId: exact(z.string()).optional(),
      processDefinitionId: exact(z.string()).optional(),
      tenantId: exact(tenantId).optional(),
    })
    .optional(),
  page: pageRequest,
  sort: z.array(z.strictObject({ field: z.enum(Object.keys(JOB_SORT_COLUMNS) as [keyof typeof JOB_SORT_COLUMNS]), order: sortOrder })).max(3).optional(),
});
