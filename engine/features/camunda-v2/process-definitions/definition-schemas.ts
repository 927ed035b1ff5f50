/**
 * The body of POST /v2/process-definitions/search, checked at the edge: the
 * fields of Camunda's ProcessDefinitionFilter Weft can answer. Weft records
 * no version tags and reads no start forms, so a filter on either is a 400
 * naming it rather than an answer that would be wrong for a diagram that
 * has one.
 */
import { z } from 'zod';
import { anyOf, exact, keyText, sortOrder } from '../filters.js';
import { pageRequest, tenantId } from '../search.js';

/** Sort fields and the column each means; a key sorts by creation time, as Zeebe's keys grow with it. */
export const DEFINITION_SORT_COLUMNS = {
  processDefinitionKey: 'd.created_at',
  name: 'd.name',
  resourceName: 'd.resource_name',
  version: 'd.version',
  // Weft records no version tags (every definition's is null) and has one tenant: both sort as ties.
  versionTag: 'd.created_at',
  processDefinitionId: 'd.process_id',
  tenantId: 'd.created_at',
} as const;

const unsupported = (what: string) => z.never({ error: `Weft does not ${what}` }).optional();

export const definitionSearchBody = z
  .strictObject({
    filter: z
      .strictObject({
        processDefinitionKey: exact(keyText).optional(),
        processDefinitionId: anyOf(z.string().min(1).max(255)).optional(),
        name: anyOf(z.string().max(1000)).optional(),
        resourceName: z.string().max(1000).optional(),
        version: z.number().int().min(1).max(2_147_483_647).optional(),
        isLatestVersion: z.boolean().optional(),
        tenantId: exact(tenantId).optional(),
        // Weft never deletes a definition: every one is ACTIVE.
        state: z.enum(['ACTIVE', 'DRAINING', 'DELETED']).optional(),
        versionTag: unsupported('record version tags yet'),
        hasStartForm: unsupported('read start forms'),
      })
      .optional(),
    sort: z.array(z.strictObject({ field: z.enum(Object.keys(DEFINITION_SORT_COLUMNS) as [keyof typeof DEFINITION_SORT_COLUMNS]), order: sortOrder })).max(3).optional(),
    page: pageRequest,
  })
  .optional();

export type DefinitionSearchFilter = NonNullable<NonNullable<z.output<typeof definitionSearchBody>>['filter']>;
export type DefinitionSort = NonNullable<NonNullable<z.output<typeof definitionSearchBody>>['sort']>;
