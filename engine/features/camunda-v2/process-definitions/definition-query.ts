/**
 * Process definitions as Camunda's clients search and read them: rows of
 * `process_definitions` narrowed by Camunda's fields (a key read back to
 * Weft's first) and shaped as ProcessDefinitionResult with numeric keys.
 */
import type { Knex } from 'knex';
import { idOf, keysOf } from '../keys.js';
import { DEFAULT_TENANT } from '../search.js';
import { DEFINITION_SORT_COLUMNS, type DefinitionSearchFilter, type DefinitionSort } from './definition-schemas.js';

const COLUMNS = ['d.key', 'd.process_id', 'd.version', 'd.name', 'd.resource_name', 'd.created_at'];

type Row = { key: string; process_id: string; version: number; name: string | null; resource_name: string };

/**
 * The definitions the filter names; null when it can match none (a key
 * never handed out, a state no Weft definition is in). Wrapped: a query
 * builder is thenable, and an async function would run it.
 */
export async function filteredDefinitions(db: Knex, filter: DefinitionSearchFilter): Promise<{ q: Knex.QueryBuilder } | null> {
  const q = db('process_definitions as d');
  if (filter.state !== undefined && filter.state !== 'ACTIVE') return null;
  if (filter.processDefinitionKey !== undefined) {
    const id = await idOf(db, 'process-definition', filter.processDefinitionKey);
    if (id === undefined) return null;
    q.where('d.key', id);
  }
  if (filter.processDefinitionId !== undefined) q.whereIn('d.process_id', filter.processDefinitionId);
  if (filter.name !== undefined) q.whereIn('d.name', filter.name);
  if (filter.resourceName !== undefined) q.where('d.resource_name', filter.resourceName);
  if (filter.version !== undefined) q.where('d.version', filter.version);
  if (filter.isLatestVersion) q.whereRaw('d.version = (SELECT max(l.version) FROM process_definitions l WHERE l.process_id = d.process_id)');
  return { q };
}

export async function searchDefinitions(db: Knex, q: Knex.QueryBuilder, sort: DefinitionSort, offset: number, limit: number) {
  const [{ count }] = await q.clone().count({ count: '*' });
  for (const s of sort) q.orderBy(DEFINITION_SORT_COLUMNS[s.field], s.order?.toLowerCase() === 'desc' ? 'desc' : 'asc');
  const rows = await q.orderBy('d.created_at').orderBy('d.process_id').orderBy('d.version').offset(offset).limit(limit).select(COLUMNS);
  return { items: await definitionResults(db, rows), total: Number(count) };
}

export async function definitionRow(db: Knex, id: string): Promise<Row | undefined> {
  return db('process_definitions as d').where('d.key', id).first(COLUMNS);
}

export async function definitionResults(db: Knex, rows: Row[]) {
  const keys = await keysOf(db, 'process-definition', rows.map((r) => r.key));
  return rows.map((r) => ({
    name: r.name,
    resourceName: r.resource_name,
    version: r.version,
    versionTag: null,
    processDefinitionId: r.process_id,
    tenantId: DEFAULT_TENANT,
    processDefinitionKey: keys.get(r.key)!,
    hasStartForm: false,
    state: 'ACTIVE' as const,
  }));
}
