/**
 * User tasks as Camunda's clients search and read them: rows of `tasks`
 * the caller may see (task-visibility.ts, before paging), filtered by
 * Camunda's fields and shaped as UserTaskResult with numeric keys. A task's
 * linked form (zeebe:formDefinition formId) is its `formKey`; a custom form
 * key is Camunda's `externalFormReference`.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../api/auth.js';
import { visibleTo } from '../../../api/task-visibility.js';
import { applyDateRange, applyInteger, applyString } from '../filters.js';
import { elementInstanceId, keysOfKinds, whereKeys, type KeyFilter } from '../keys.js';
import { DEFAULT_TENANT } from '../search.js';
import { USER_TASK_SORT_COLUMNS, type UserTaskFilter } from './user-task-schemas.js';

const COLUMNS = ['t.*', 'p.definition_key', 'p.version as process_version', 'd.name as process_name'];

/** Camunda's states Weft has; the transient ones (CREATING, ASSIGNING, …) are never stored, so they match nothing. */
const STORED_STATES = new Set(['CREATED', 'COMPLETED', 'CANCELED']);

function tasks(db: Knex): Knex.QueryBuilder {
  return db('tasks as t').join('process_instances as p', 'p.id', 't.process_instance_id').leftJoin('process_definitions as d', 'd.key', 'p.definition_key');
}

/** A variable of the scope (`scope` is an SQL expression for the element key) with this JSON value. */
function hasVariable(q: Knex.QueryBuilder, scope: string, v: { name: string; value: string }): void {
  q.whereExists((e) =>
    e
      .from('instance_entries as e')
      .whereRaw(`e.instance_id = t.process_instance_id AND e.kind = 'element' AND e.key = ${scope}`)
      .whereRaw("e.value->'variables'->? = ?::jsonb", [v.name, v.value]),
  );
}

/** The tasks the actor may see, narrowed by the filter; null when a key in it names nothing. Wrapped: a query builder is thenable. */
export async function filteredTasks(db: Knex, actor: Actor, filter: UserTaskFilter): Promise<{ q: Knex.QueryBuilder } | null> {
  const q = tasks(db).modify(visibleTo(actor));
  if (filter.state !== undefined) q.whereIn('t.state', filter.state.filter((s) => STORED_STATES.has(s)));
  applyString(q, 't.assignee', filter.assignee);
  applyString(q, 't.name', filter.name);
  applyInteger(q, 't.priority', filter.priority);
  if (filter.elementId !== undefined) q.where('t.element_id', filter.elementId);
  if (filter.processDefinitionId !== undefined) q.where('t.process_id', filter.processDefinitionId);
  if (filter.candidateGroup !== undefined) q.whereRaw('t.candidate_groups && ?::text[]', [filter.candidateGroup]);
  if (filter.candidateUser !== undefined) q.whereRaw('t.candidate_users && ?::text[]', [filter.candidateUser]);
  applyDateRange(q, 't.created_at', filter.creationDate);
  applyDateRange(q, 't.completed_at', filter.completionDate);
  applyDateRange(q, 't.follow_up_date', filter.followUpDate);
  applyDateRange(q, 't.due_date', filter.dueDate);
  for (const v of filter.processInstanceVariables ?? []) hasVariable(q, 't.process_instance_id::text', v);
  for (const v of filter.localVariables ?? []) hasVariable(q, 't.element_instance_key', v);
  const keys: KeyFilter = [
    [filter.userTaskKey, 'user-task', 't.id'],
    [filter.processInstanceKey, 'process-instance', 't.process_instance_id'],
    [filter.processDefinitionKey, 'process-definition', 'p.definition_key'],
  ];
  if (!(await whereKeys(db, q, keys, { key: filter.elementInstanceKey, columns: ['t.process_instance_id', 't.element_instance_key'] }))) return null;
  return { q };
}

export async function searchTasks(db: Knex, q: Knex.QueryBuilder, sort: { field: keyof typeof USER_TASK_SORT_COLUMNS; order?: string }[], offset: number, limit: number) {
  const [{ count }] = await q.clone().count({ count: '*' });
  for (const s of sort) q.orderByRaw(`${USER_TASK_SORT_COLUMNS[s.field]} ${s.order?.toLowerCase() === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
  const rows = await q.orderBy('t.created_at').orderBy('t.id').offset(offset).limit(limit).select(COLUMNS);
  return { items: await userTaskResults(db, rows), total: Number(count) };
}

export async function taskRow(db: Knex, id: string): Promise<Record<string, any> | undefined> {
  return tasks(db).where('t.id', id).first(COLUMNS);
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function userTaskResults(db: Knex, rows: Record<string, any>[]) {
  if (rows.length === 0) return [];
  const formIds = [...new Set(rows.flatMap((r) => (r.form_id ? [r.form_id] : [])))];
  const latestForms: { form_id: string; key: string }[] = formIds.length
    ? await db('forms').distinctOn('form_id').whereIn('form_id', formIds).orderBy([{ column: 'form_id' }, { column: 'version', order: 'desc' }]).select('form_id', 'key')
    : [];
  const formOf = new Map(latestForms.map((f) => [f.form_id, f.key]));
  const elementIds = rows.map((r) => elementInstanceId(r.process_instance_id, r.element_instance_key));
  const { 'user-task': task, 'process-instance': instance, 'process-definition': definition, 'element-instance': element, form } = await keysOfKinds(db, {
    'user-task': rows.map((r) => r.id),
    'process-instance': rows.map((r) => r.process_instance_id),
    'process-definition': rows.map((r) => r.definition_key),
    'element-instance': elementIds,
    form: latestForms.map((f) => f.key),
  });
  return rows.map((r, n) => {
    const formUuid = r.form_id ? formOf.get(r.form_id) : undefined;
    return {
      name: r.name,
      state: r.state,
      assignee: r.assignee,
      elementId: r.element_id,
      candidateGroups: r.candidate_groups ?? [],
      candidateUsers: r.candidate_users ?? [],
      processDefinitionId: r.process_id,
      creationDate: iso(r.created_at),
      completionDate: iso(r.completed_at),
      followUpDate: iso(r.follow_up_date),
      dueDate: iso(r.due_date),
      tenantId: DEFAULT_TENANT,
      externalFormReference: r.form_key ?? null,
      processDefinitionVersion: r.process_version,
      customHeaders: r.headers ?? {},
      priority: r.priority,
      userTaskKey: task.get(r.id)!,
      elementInstanceKey: element.get(elementIds[n])!,
      processName: r.process_name ?? null,
      processDefinitionKey: definition.get(r.definition_key)!,
      processInstanceKey: instance.get(r.process_instance_id)!,
      rootProcessInstanceKey: null,
      formKey: formUuid ? form.get(formUuid)! : null,
      tags: [],
    };
  });
}
