/**
 * The request bodies of /v2/process-instances, checked at the edge: a field
 * this adapter does not understand is a 400 naming it (a filter silently
 * ignored would answer the wrong instances).
 */
import { z } from 'zod';
import { exact, keyText as key } from './filters.js';
import { pageRequest, tenantId } from './search.js';

const variables = z.record(z.string(), z.unknown());

export const createInstanceBody = z
  .strictObject({
    processDefinitionId: z.string().min(1).max(255).optional(),
    processDefinitionKey: key.optional(),
    processDefinitionVersion: z.number().int().optional(),
    variables: variables.optional(),
    tenantId: tenantId.optional(),
    operationReference: z.union([z.number(), z.string()]).optional(),
    awaitCompletion: z.boolean().optional(),
    /** Milliseconds to wait for the end when awaitCompletion is set; 0 = the server's default. */
    requestTimeout: z.number().int().min(0).max(3_600_000).optional(),
    fetchVariables: z.array(z.string().max(255)).max(1000).optional(),
    tags: z.array(z.string()).max(0, 'tags are not supported by Weft').optional(),
  })
  .refine((b) => (b.processDefinitionId === undefined) !== (b.processDefinitionKey === undefined), { message: 'give exactly one of processDefinitionId and processDefinitionKey', path: ['processDefinitionId'] });

export const searchInstancesBody = z
  .strictObject({
    filter: z
      .strictObject({
        processDefinitionId: exact(z.string().max(255)).optional(),
        processInstanceKey: exact(key).optional(),
        state: exact(z.enum(['ACTIVE', 'COMPLETED', 'TERMINATED'])).optional(),
        tenantId: exact(tenantId).optional(),
      })
      .optional(),
    sort: z.array(z.strictObject({ field: z.enum(['startDate']), order: z.enum(['ASC', 'DESC', 'asc', 'desc']).optional() })).max(1).optional(),
    page: pageRequest,
  })
  .optional();

export const instanceKey = key;
