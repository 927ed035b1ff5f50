/** The body of POST /v2/incidents/search and /resolution, checked at the edge. */
import { z } from 'zod';
import { anyOf, dateRange, exact, keyText, sortOrder } from '../filters.js';
import { pageRequest, tenantId } from '../search.js';
import { CAMUNDA_ERROR_TYPES, CAMUNDA_INCIDENT_STATES } from './incident-types.js';

/** Sort fields and the column each means; keys grow with creation, as Zeebe's do, so a key sorts by creation time. */
export const INCIDENT_SORT_COLUMNS = {
  incidentKey: 'i.created_at',
  creationTime: 'i.created_at',
  processDefinitionId: 'p.process_id',
  processDefinitionKey: 'p.definition_key',
  processInstanceKey: 'p.created_at',
  errorType: 'i.type',
  elementId: 'i.element_id',
  elementInstanceKey: 'i.created_at',
  state: 'i.state',
  jobKey: 'i.job_key',
  tenantId: 'i.created_at',
} as const;

export const incidentSearchBody = z
  .strictObject({
    filter: z
      .strictObject({
        incidentKey: exact(keyText).optional(),
        processDefinitionId: exact(z.string().max(255)).optional(),
        processDefinitionKey: exact(keyText).optional(),
        processInstanceKey: exact(keyText).optional(),
        elementInstanceKey: exact(keyText).optional(),
        jobKey: exact(keyText).optional(),
        elementId: exact(z.string().max(255)).optional(),
        errorType: anyOf(z.enum(CAMUNDA_ERROR_TYPES)).optional(),
        errorMessage: exact(z.string().max(10_000)).optional(),
        state: anyOf(z.enum(CAMUNDA_INCIDENT_STATES)).optional(),
        creationTime: dateRange.optional(),
        tenantId: exact(tenantId).optional(),
      })
      .optional(),
    sort: z.array(z.strictObject({ field: z.enum(Object.keys(INCIDENT_SORT_COLUMNS) as [keyof typeof INCIDENT_SORT_COLUMNS]), order: sortOrder })).max(3).optional(),
    page: pageRequest,
  })
  .optional();

export type IncidentFilter = NonNullable<NonNullable<z.output<typeof incidentSearchBody>>['filter']>;

export const resolutionBody = z.strictObject({ operationReference: z.union([z.number().int(), z.string().max(64)]).optional() }).optional();
