/**
 * Variables as Camunda's clients read them. A Weft variable is a name in
 * the variables of a scope (the process, a sub-process, an element with
 * input mappings), all in the instance's element entries; the process
 * scope stays after the instance ended, so an ended instance's variables
 * remain readable. A variable's id names its instance, scope and name; its
 * scope key is the process instance's key for the process scope, as in
 * Camunda. Values are JSON text, as Postgres writes jsonb.
 */
import type { Knex } from 'knex';
import { elementInstanceId, idOf, keysOfKinds } from '../keys.js';
import { DEFAULT_TENANT } from '../search.js';
import { TRUNCATED_LENGTH, VARIABLE_SORT_COLUMNS, type VariableFilter } from './variable-schemas.js';

interface VariableRow {
  instance_id: string;
  scope: string;
  name: string;
  value: string;
  length: number;
}

const variableId = (r: { instance_id: string; scope: string; name: string }) => `${r.instance_id}:${r.scope}:${r.name}`;

function parseVariableId(id: string): { instanceId: string; scope: string; name: string } {
  const [instanceId, scope] = id.split(':', 2);
  return { instanceId, scope, name: id.slice(instanceId.length + scope.length + 2) };
}

/** Every variable of every scope, one row each, with its instance for ordering. */
export function allVariables(db: Knex): Knex.QueryBuilder {
  return db('instance_entries as e')
    .join('process_instances as p', 'p.id', 'e.instance_id')
    .crossJoin(db.raw("LATERAL jsonb_each(CASE WHEN jsonb_typeof(e.value->'variables') = 'object' THEN e.value->'variables' ELSE '{}'::jsonb END) AS v(key, value)"))
    .where('e.kind', 'element');
}

const SELECT = 'e.instance_id, e.key AS scope, v.key AS name, v.value::text AS value, length(v.value::text) AS length';

/** The scope (instance and element key) a scope key names: the process instance's key or an element instance's. */
async function scopeOf(db: Knex, key: string): Promise<{ instanceId: string; scope: string } | undefined> {
  const instanceId = await idOf(db, 'process-instance', key);
  if (instanceId) return { instanceId, scope: instanceId };
  const element = await idOf(db, 'element-instance', key);
  if (!element) return undefined;
  const [instance, scope = instance] = element.split(':');
  return { instanceId: instance, scope };
}

export async function filteredVariables(db: Knex, filter: VariableFilter): Promise<{ q: Knex.QueryBuilder } | null> {
  const q = allVariables(db);
  if (filter.name !== undefined) q.whereIn('v.key', filter.name);
  if (filter.value !== undefined) q.whereRaw('v.value = ?::jsonb', [filter.value]);
  if (filter.isTruncated !== undefined) q.whereRaw(`length(v.value::text) ${filter.isTruncated ? '>' : '<='} ?`, [TRUNCATED_LENGTH]);
  if (filter.processInstanceKey !== undefined) {
    const id = await idOf(db, 'process-instance', filter.processInstanceKey);
    if (!id) return null;
    q.where('e.instance_id', id);
  }
  if (filter.scopeKey !== undefined) {
    const scope = await scopeOf(db, filter.scopeKey);
    if (!scope) return null;
    q.where({ 'e.instance_id': scope.instanceId, 'e.key': scope.scope });
  }
  if (filter.variableKey !== undefined) {
    const id = await idOf(db, 'variable', filter.variableKey);
    if (!id) return null;
    const { instanceId, scope, name } = parseVariableId(id);
    q.where({ 'e.instance_id': instanceId, 'e.key': scope, 'v.key': name });
  }
  return { q };
}

export async function searchVariables(db: Knex, q: Knex.QueryBuilder, sort: { field: keyof typeof VARIABLE_SORT_COLUMNS; order?: string }[], offset: number, limit: number, truncate: boolean) {
  const [{ count }] = await q.clone().count({ count: '*' });
  for (const s of sort) q.orderByRaw(`${VARIABLE_SORT_COLUMNS[s.field]} ${s.order?.toLowerCase() === 'desc' ? 'DESC' : 'ASC'}`);
  const rows = (await q.orderBy('p.created_at').orderBy('e.instance_id').orderByRaw('length(e.key), e.key, v.key').offset(offset).limit(limit).select(db.raw(SELECT))) as VariableRow[];
  const results = await variableResults(db, rows);
  return {
    total: Number(count),
    items: results.map((r, n) => {
      const cut = truncate && rows[n].length > TRUNCATED_LENGTH;
      return { ...r, value: cut ? r.value.slice(0, TRUNCATED_LENGTH) : r.value, isTruncated: cut };
    }),
  };
}

/** The variable a key names, whole; undefined when its scope has ended or the name is gone. */
export async function variableByKey(db: Knex, key: string) {
  const id = await idOf(db, 'variable', key);
  if (!id) return undefined;
  const { instanceId, scope, name } = parseVariableId(id);
  const rows = (await allVariables(db).where({ 'e.instance_id': instanceId, 'e.key': scope, 'v.key': name }).select(db.raw(SELECT))) as VariableRow[];
  return rows.length === 0 ? undefined : (await variableResults(db, rows))[0];
}

async function variableResults(db: Knex, rows: VariableRow[]) {
  if (rows.length === 0) return [];
  const { variable, 'process-instance': instance, 'element-instance': element } = await keysOfKinds(db, {
    variable: rows.map(variableId),
    'process-instance': rows.map((r) => r.instance_id),
    'element-instance': rows.filter((r) => r.scope !== r.instance_id).map((r) => elementInstanceId(r.instance_id, r.scope)),
  });
  return rows.map((r) => ({
    name: r.name,
    value: r.value,
    tenantId: DEFAULT_TENANT,
    variableKey: variable.get(variableId(r))!,
    scopeKey: r.scope === r.instance_id ? instance.get(r.instance_id)! : element.get(elementInstanceId(r.instance_id, r.scope))!,
    processInstanceKey: instance.get(r.instance_id)!,
    rootProcessInstanceKey: null,
  }));
}
