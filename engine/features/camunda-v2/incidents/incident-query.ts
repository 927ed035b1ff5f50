/**
 * Incidents as Camunda's clients search and read them: rows of `incidents`
 * with their instance's process, filtered by Camunda's fields (keys read
 * back to Weft ids first) and shaped as IncidentResult with numeric keys.
 */
import type { Knex } from 'knex';
import { applyDateRange } from '../filters.js';
import { elementInstanceId, keysOfKinds, whereKeys, type KeyFilter } from '../keys.js';
import { DEFAULT_TENANT } from '../search.js';
import { INCIDENT_SORT_COLUMNS, type IncidentFilter } from './incident-schemas.js';
import { errorTypeV2, stateV2, weftStatesOf, weftTypesOf } from './incident-types.js';

const COLUMNS = ['i.*', 'p.process_id', 'p.definition_key'];

/**
 * The incidents joined with their instance, narrowed by the filter; null
 * when a key in it names nothing (no incident can match). Wrapped: a query
 * builder is thenable, and an async function would run it.
 */
export async function filteredIncidents(db: Knex, filter: IncidentFilter): Promise<{ q: Knex.QueryBuilder } | null> {
  const q = db('incidents as i').join('process_instances as p', 'p.id', 'i.process_instance_id');
  if (filter.processDefinitionId !== undefined) q.where('p.process_id', filter.processDefinitionId);
  if (filter.elementId !== undefined) q.where('i.element_id', filter.elementId);
  if (filter.errorMessage !== undefined) q.where('i.message', filter.errorMessage);
  if (filter.errorType !== undefined) q.whereIn('i.type', filter.errorType.flatMap(weftTypesOf));
  if (filter.state !== undefined) q.whereIn('i.state', filter.state.flatMap(weftStatesOf));
  applyDateRange(q, 'i.created_at', filter.creationTime);
  const keys: KeyFilter = [
    [filter.incidentKey, 'incident', 'i.id'],
    [filter.processInstanceKey, 'process-instance', 'i.process_instance_id'],
    [filter.processDefinitionKey, 'process-definition', 'p.definition_key'],
    [filter.jobKey, 'job', 'i.job_key'],
  ];
  if (!(await whereKeys(db, q, keys, { key: filter.elementInstanceKey, columns: ['i.process_instance_id', 'i.element_instance_key'] }))) return null;
  return { q };
}

export async function searchIncidents(db: Knex, q: Knex.QueryBuilder, sort: { field: keyof typeof INCIDENT_SORT_COLUMNS; order?: string }[], offset: number, limit: number) {
  const [{ count }] = await q.clone().count({ count: '*' });
  for (const s of sort) q.orderBy(INCIDENT_SORT_COLUMNS[s.field], s.order?.toLowerCase() === 'desc' ? 'desc' : 'asc');
  const rows = await q.orderBy('i.created_at').orderBy('i.id').offset(offset).limit(limit).select(COLUMNS);
  return { items: await incidentResults(db, rows), total: Number(count) };
}

export async function incidentRow(db: Knex, id: string): Promise<Record<string, any> | undefined> {
  return db('incidents as i').join('process_instances as p', 'p.id', 'i.process_instance_id').where('i.id', id).first(COLUMNS);
}

export async function incidentResults(db: Knex, rows: Record<string, any>[]) {
  if (rows.length === 0) return [];
  const elementIds = rows.map((r) => elementInstanceId(r.process_instance_id, r.element_instance_key));
  const { incident, 'process-instance': instance, 'process-definition': definition, 'element-instance': element, job } = await keysOfKinds(db, {
    incident: rows.map((r) => r.id),
    'process-instance': rows.map((r) => r.process_instance_id),
    'process-definition': rows.map((r) => r.definition_key),
    'element-instance': elementIds,
    job: rows.flatMap((r) => (r.job_key ? [r.job_key] : [])),
  });
  return rows.map((r, n) => ({
    processDefinitionId: r.process_id,
    errorType: errorTypeV2(r.type),
    errorMessage: r.message,
    elementId: r.element_id,
    creationTime: new Date(r.created_at).toISOString(),
    state: stateV2(r.state),
    tenantId: DEFAULT_TENANT,
    incidentKey: incident.get(r.id)!,
    processDefinitionKey: definition.get(r.definition_key)!,
    processInstanceKey: instance.get(r.process_instance_id)!,
    rootProcessInstanceKey: null,
    elementInstanceKey: element.get(elementIds[n])!,
    jobKey: r.job_key ? job.get(r.job_key)! : null,
  }));
}
