/**
 * The read side: instances, tasks, incidents and audit as the API shows them.
 */
import { readState } from './instance-store.js';
import type { Knex } from 'knex';
import { WeftError } from '../errors.js';
import type { InstanceState } from '../runtime/types.js';
import type { AuditEntry, IncidentView, InstanceDetail, InstanceListItem, InstanceSummary, Page, TaskView, TimerView } from '../service/types.js';
import { filteredInstances, instancePage, type InstanceSearch } from './instance-search.js';
import { taskPage } from './task-page.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export class Queries {
  constructor(private readonly db: Knex) {}

  async listInstances(search: InstanceSearch): Promise<Page<InstanceListItem>> {
    const [[{ count }], rows] = await Promise.all([filteredInstances(this.db, search).count({ count: '*' }), instancePage(this.db, search)]);
    return {
      items: rows.map((row: Record<string, any>) => ({ ...summary(row), openIncidents: Number(row.open_incidents), parentInstanceId: row.parent_instance_id ?? null })),
      total: Number(count),
      limit: search.limit,
      offset: search.offset,
    };
  }

  async instanceSummary(id: string): Promise<InstanceSummary> {
    const row = await this.db('process_instances').where({ id }).first('id', 'process_id', 'version', 'status', 'business_key', 'created_at', 'ended_at');
    if (!row) throw new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${id}`);
    return summary(row);
  }

  async getInstance(id: string): Promise<InstanceDetail> {
    const row = await this.db('process_instances').where({ id }).first();
    if (!row) throw new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${id}`);
    const state = await readState((sql, bindings) => this.db.raw(sql, bindings as Knex.RawBinding[]).then((r) => r.rows), row);
    // Element history comes from the audit trail; live elements from the state.
    const events = await this.db('audit')
      .where({ process_instance_id: id })
      .whereIn('type', ['ELEMENT_ACTIVATED', 'ELEMENT_COMPLETED', 'ELEMENT_TERMINATED', 'FLOW_TAKEN'])
      .orderBy('id')
      .select('type', 'element_id', 'element_instance_key');
    const elements = new Map<string, { id: string; elementId: string; state: string }>();
    const activations: Record<string, number> = {};
    const flows = new Set<string>();
    for (const e of events) {
      if (e.type === 'FLOW_TAKEN') {
        if (e.element_id) flows.add(e.element_id);
        continue;
      }
      if (e.element_instance_key === id) continue; // the process itself
      if (e.type === 'ELEMENT_ACTIVATED') activations[e.element_id] = (activations[e.element_id] ?? 0) + 1;
      const stateName = e.type === 'ELEMENT_ACTIVATED' ? 'ACTIVE' : e.type === 'ELEMENT_COMPLETED' ? 'COMPLETED' : 'TERMINATED';
      elements.set(e.element_instance_key, { id: e.element_instance_key, elementId: e.element_id, state: stateName });
    }
    for (const live of Object.values(state.elements)) {
      if (live.key === id) continue;
      elements.set(live.key, { id: live.key, elementId: live.elementId, state: live.incidentId ? 'INCIDENT' : live.state });
    }
    const children = await this.db('process_instances')
      .where({ parent_instance_id: id })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .limit(1000)
      .select('id', 'process_id', 'version', 'status', 'parent_element_instance_key');
    const callActivityOf = (key: string | null) => (key ? (elements.get(key)?.elementId ?? null) : null);
    return {
      ...summary(row),
      definitionKey: row.definition_key,
      variables: state.elements[id]?.variables ?? {},
      scopes: Object.values(state.elements)
        .filter((e) => e.key === id || e.variables !== undefined)
        .map((e) => ({ key: e.key, elementId: e.elementId, variables: e.variables ?? {} }))
        .sort((a, b) => Number(b.key === id) - Number(a.key === id)),
      elements: [...elements.values()],
      activations,
      flowsTaken: [...flows],
      parent: state.parent ? { instanceId: state.parent.instanceId, elementId: state.parent.elementId, processId: state.parent.processId } : null,
      children: children.map((c) => ({ id: c.id, processId: c.process_id, version: c.version, state: c.status, elementId: callActivityOf(c.parent_element_instance_key) })),
      incidents: await this.listIncidents({ processInstanceId: id }),
      timers: timersOf(state),
    };
  }

  async audit(instanceId: string): Promise<AuditEntry[]> {
    const exists = await this.db('process_instances').where({ id: instanceId }).first('id');
    if (!exists) throw new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${instanceId}`);
    const rows = await this.db('audit').where({ process_instance_id: instanceId }).orderBy('id');
    return rows.map((r) => ({
      id: String(r.id),
      at: iso(r.at)!,
      actor: r.actor,
      type: r.type,
      processInstanceId: r.process_instance_id,
      elementId: r.element_id,
      elementInstanceKey: r.element_instance_key,
      payload: r.payload,
    }));
  }

  async listTasks(filter: { assignee?: string; candidateGroup?: string; state?: string; processInstanceId?: string; limit: number; offset: number }): Promise<Page<TaskView>> {
    const { rows, total } = await taskPage(this.db, {
      filter: (q) => {
        if (filter.assignee) q.where({ assignee: filter.assignee });
        if (filter.candidateGroup) q.whereRaw('candidate_groups @> ARRAY[?]::text[]', [filter.candidateGroup]);
        if (filter.state) q.where({ state: filter.state });
        if (filter.processInstanceId) q.where({ process_instance_id: filter.processInstanceId });
      },
      order: 'priority DESC, created_at, id',
      columns: '*',
      limit: filter.limit,
      offset: filter.offset,
    });
    return { items: rows.map(taskView), total, limit: filter.limit, offset: filter.offset };
  }

  async getTask(id: string): Promise<TaskView> {
    const row = await this.db('tasks').where({ id }).first();
    if (!row) throw new WeftError('TASK_NOT_FOUND', `No task with id ${id}`);
    return taskView(row);
  }

  async listIncidents(filter: { processInstanceId?: string; state?: 'OPEN' | 'RESOLVED' }): Promise<IncidentView[]> {
    const rows = await this.db('incidents')
      .modify((q) => {
        if (filter.processInstanceId) q.where({ process_instance_id: filter.processInstanceId });
        if (filter.state) q.where({ state: filter.state });
      })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .limit(1000);
    return rows.map(incidentView);
  }

  async incident(id: string): Promise<IncidentView> {
    const row = await this.db('incidents').where({ id }).first();
    if (!row) throw new WeftError('INCIDENT_NOT_FOUND', `No incident with id ${id}`);
    return incidentView(row);
  }
}

/** An instance's open timers, from its state (the timers table holds the same; no query needed). */
function timersOf(state: InstanceState): TimerView[] {
  return Object.values(state.waits ?? {})
    .filter((w) => w.type === 'timer')
    .map((w) => ({ id: w.id, elementId: w.elementId, elementInstanceKey: w.elementInstanceKey, dueAt: w.dueAt!, ...(w.repeat ? { repeat: w.repeat } : {}) }))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

function summary(row: Record<string, any>): InstanceSummary {
  return {
    id: row.id,
    processId: row.process_id,
    version: row.version,
    state: row.status,
    businessKey: row.business_key ?? null,
    createdAt: iso(row.created_at)!,
    endedAt: iso(row.ended_at),
  };
}

/** A tasks row as the API shows it (also used by the inbox feature). */
export function taskView(row: Record<string, any>): TaskView {
  return {
    id: row.id,
    processInstanceId: row.process_instance_id,
    processId: row.process_id,
    elementId: row.element_id,
    name: row.name,
    state: row.state,
    assignee: row.assignee,
    candidateGroups: row.candidate_groups,
    candidateUsers: row.candidate_users,
    dueDate: iso(row.due_date),
    followUpDate: iso(row.follow_up_date),
    formId: row.form_id,
    formKey: row.form_key,
    priority: row.priority,
    headers: row.headers,
    variables: row.variables,
    createdAt: iso(row.created_at)!,
    completedAt: iso(row.completed_at),
    completedBy: row.completed_by,
  };
}

function incidentView(row: Record<string, any>): IncidentView {
  return {
    id: row.id,
    processInstanceId: row.process_instance_id,
    elementId: row.element_id,
    elementInstanceKey: row.element_instance_key,
    jobKey: row.job_key,
    type: row.type,
    message: row.message,
    state: row.state,
    createdAt: iso(row.created_at)!,
    resolvedAt: iso(row.resolved_at),
  };
}
