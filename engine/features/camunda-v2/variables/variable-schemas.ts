/** The body and query of POST /v2/variables/search, checked at the edge. */
import { z } from 'zod';
import { anyOf, exact, jsonText, keyText, sortOrder } from '../filters.js';
import { pageRequest, tenantId } from '../search.js';

/** Camunda's clients read a variable's value as JSON text; a search cuts it at this many characters unless asked not to. */
export const TRUNCATED_LENGTH = 8191;

/** Sort fields and the SQL each means (keys grow with creation, as Zeebe's do). */
export const VARIABLE_SORT_COLUMNS = {
  name: 'v.key',
  value: 'v.value::text',
  tenantId: 'p.created_at',
  variableKey: 'p.created_at',
  scopeKey: 'p.created_at',
  processInstanceKey: 'p.created_at',
} as const;

export const variableSearchBody = z
  .strictObject({
    filter: z
      .strictObject({
        name: anyOf(z.string().min(1).max(255)).optional(),
        value: exact(jsonText).optional(),
        tenantId: exact(tenantId).optional(),
        isTruncated: z.boolean().optional(),
        variableKey: exact(keyText).optional(),
        scopeKey: exact(keyText).optional(),
        processInstanceKey: exact(keyText).optional(),
      })
      .optional(),
    sort: z.array(z.strictObject({ field: z.enum(Object.keys(VARIABLE_SORT_COLUMNS) as [keyof typeof VARIABLE_SORT_COLUMNS]), order: sortOrder })).max(3).optional(),
    page: pageRequest,
  })
  .optional();

export type VariableFilter = NonNullable<NonNullable<z.output<typeof variableSearchBody>>['filter']>;

export const variableSearchQuery = z.strictObject({ truncateValues: z.enum(['true', 'false']).optional() });
