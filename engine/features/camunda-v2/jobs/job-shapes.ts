/**
 * Weft's jobs in the shapes Camunda's clients read: an activated job and a
 * job search result. Every Weft id a client sees becomes a numeric key
 * (keys.ts); the tenant is `<default>`.
 */
import type { Knex } from 'knex';
import type { ActivatedJob } from '../../../service/types.js';
import { elementInstanceId, keysOfKinds } from '../keys.js';
import { DEFAULT_TENANT } from '../search.js';

interface InstanceFacts {
  definitionKey: string;
  version: number;
}

/** What the job rows do not carry: each instance's definition key and version. */
async function instanceFacts(db: Knex, instanceIds: string[]): Promise<Map<string, InstanceFacts>> {
  const rows = await db('process_instances').whereIn('id', [...new Set(instanceIds)]).select('id', 'definition_key', 'version');
  return new Map(rows.map((r) => [r.id, { definitionKey: r.definition_key, version: r.version }]));
}

/** The keys of every id the given jobs name, one batch per kind. */
async function keysFor(db: Knex, jobs: { key: string; instanceId: string; elementInstanceKey: string; definitionKey?: string }[]) {
  const { job, 'process-instance': instance, 'element-instance': element, 'process-definition': definition } = await keysOfKinds(db, {
    job: jobs.map((j) => j.key),
    'process-instance': jobs.map((j) => j.instanceId),
    'element-instance': jobs.map((j) => elementInstanceId(j.instanceId, j.elementInstanceKey)),
    'process-definition': jobs.flatMap((j) => (j.definitionKey ? [j.definitionKey] : [])),
  });
  return { job, instance, element, definition };
}

function pick(variables: Record<string, unknown>, names: string[] | undefined): Record<string, unknown> {
  if (!names || names.length === 0) return variables;
  return Object.fromEntries(names.filter((n) => Object.hasOwn(variables, n)).map((n) => [n, variables[n]]));
}

export async function activatedJobsV2(db: Knex, jobs: ActivatedJob[], worker: string, fetchVariable: string[] | undefined): Promise<Record<string, unknown>[]> {
  if (jobs.length === 0) return [];
  // The element instance and the instance's definition in one read: activation is the worker's hot path.
  const rows = await db('jobs as j').join('process_instances as p', 'p.id', 'j.process_instance_id').whereIn('j.key', jobs.map((j) => j.key)).select('j.key', 'j.element_instance_key', 'p.id', 'p.definition_key', 'p.version');
  const elementKeys = new Map<string, string>(rows.map((r) => [r.key, r.element_instance_key]));
  const facts = new Map<string, InstanceFacts>(rows.map((r) => [r.id, { definitionKey: r.definition_key, version: r.version }]));
  const keys = await keysFor(
    db,
    jobs.map((j) => ({ key: j.key, instanceId: j.processInstanceId, elementInstanceKey: elementKeys.get(j.key)!, definitionKey: facts.get(j.processInstanceId)?.definitionKey })),
  );
  return jobs.map((j) => {
    const fact = facts.get(j.processInstanceId);
    return {
      type: j.type,
      processDefinitionId: j.processId,
      processDefinitionVersion: fact?.version ?? 0,
      elementId: j.elementId,
      customHeaders: j.headers ?? {},
      worker,
      retries: j.retries,
      deadline: new Date(j.deadline).getTime(),
      variables: pick(j.variables ?? {}, fetchVariable),
      tenantId: DEFAULT_TENANT,
      jobKey: keys.job.get(j.key)!,
      processInstanceKey: keys.instance.get(j.processInstanceId)!,
      processDefinitionKey: fact ? keys.definition.get(fact.definitionKey)! : null,
      elementInstanceKey: keys.element.get(elementInstanceId(j.processInstanceId, elementKeys.get(j.key)!))!,
      kind: 'BPMN_ELEMENT',
      listenerEventType: 'UNSPECIFIED',
      userTask: null,
      tags: [],
      rootProcessInstanceKey: null,
    };
  });
}

/** Weft's job states by Camunda's names: a job waiting for or held by a worker is CREATED in Camunda's terms. */
export function stateV2(state: string): string {
  switch (state) {
    case 'ACTIVATABLE':
    case 'ACTIVATED':
      return 'CREATED';
    case 'COMPLETED':
    case 'FAILED':
    case 'CANCELED':
    case 'ERROR_THROWN':
      return state;
    case 'ERROR':
    case 'ERRORED':
      return 'ERROR_THROWN';
    case 'INCIDENT':
      return 'FAILED';
    default:
      return state;
  }
}

/** Weft states a Camunda state filter means. */
export function statesOf(v2State: string): string[] {
  if (v2State === 'CREATED') return ['ACTIVATABLE', 'ACTIVATED'];
  if (v2State === 'ERROR_THROWN') return ['ERROR_THROWN', 'ERROR', 'ERRORED'];
  if (v2State === 'FAILED') return ['FAILED', 'INCIDENT'];
  return [v2State];
}

export async function searchResultsV2(db: Knex, rows: Record<string, any>[]): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const facts = await instanceFacts(db, rows.map((r) => r.process_instance_id));
  const keys = await keysFor(
    db,
    rows.map((r) => ({ key: r.key, instanceId: r.process_instance_id, elementInstanceKey: r.element_instance_key, definitionKey: facts.get(r.process_instance_id)?.definitionKey })),
  );
  return rows.map((r) => {
    const fact = facts.get(r.process_instance_id);
    const state = stateV2(r.state);
    return {
      customHeaders: r.headers ?? {},
      deadline: r.deadline ? new Date(r.deadline).toISOString() : null,
      deniedReason: null,
      elementId: r.element_id,
      elementInstanceKey: keys.element.get(elementInstanceId(r.process_instance_id, r.element_instance_key))!,
      endTime: state === 'CREATED' ? null : new Date(r.updated_at).toISOString(),
      errorCode: null,
      errorMessage: r.error_message ?? null,
      hasFailedWithRetriesLeft: r.state === 'ACTIVATABLE' && r.error_message != null,
      isDenied: null,
      jobKey: keys.job.get(r.key)!,
      kind: 'BPMN_ELEMENT',
      listenerEventType: 'UNSPECIFIED',
      processDefinitionId: r.process_id,
      processDefinitionKey: fact ? keys.definition.get(fact.definitionKey)! : null,
      processInstanceKey: keys.instance.get(r.process_instance_id)!,
      rootProcessInstanceKey: null,
      retries: r.retries,
      state,
      tenantId: DEFAULT_TENANT,
      type: r.type,
      worker: r.worker_id ?? '',
      creationTime: new Date(r.created_at).toISOString(),
      lastUpdateTime: new Date(r.updated_at).toISOString(),
    };
  });
}
