/**
 * An operator changes a running instance's variables by hand (before a
 * retry, mostly): in one transaction with the instance row locked, the
 * scope's variables are merged, the open jobs that see them get the new
 * values, and the audit keeps who, what was there before, and why.
 *
 * Not a step: nothing moves, so the runtime has nothing to decide. The row's
 * `revision` is raised, so an engine that keeps this instance's state in
 * memory (instance-store.ts) reads it again on its next command.
 *
 * Jobs carry the variables they were created with (a worker on another host
 * reads them from the job), so an edit reaches a job the same way the
 * variable would have been visible to it: the job's element sits in the
 * edited scope, and no scope in between (nor the job's own input mappings)
 * holds a variable of that name.
 */
import type { Knex } from 'knex';
import { WeftError } from '../errors.js';
import { assertStorable } from '../persistence/storable.js';
import { scrubJson } from '../security/redaction.js';
import type { ElementInstance, Variables } from '../runtime/types.js';
import type { VariableScope } from './types.js';

export interface VariableEdit {
  scopeKey?: string;
  variables: Variables;
  reason: string;
}

const OPEN_JOB_STATES = ['ACTIVATABLE', 'ACTIVATED', 'FAILED'];

export async function updateVariables(db: Knex, instanceId: string, edit: VariableEdit, actor: string): Promise<VariableScope> {
  assertStorable(edit.variables, 'variables');
  const scopeKey = edit.scopeKey ?? instanceId;
  return db.transaction(async (trx) => {
    const instance = await trx('process_instances').where({ id: instanceId }).forUpdate().first('status');
    if (!instance) throw new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${instanceId}`);
    if (instance.status !== 'ACTIVE') throw new WeftError('INSTANCE_NOT_ACTIVE', `Process instance ${instanceId} is ${instance.status}: the variables of an ended instance stay as they were`);
    const rows: { key: string; value: ElementInstance }[] = await trx('instance_entries').where({ instance_id: instanceId, kind: 'element' }).select('key', 'value');
    const elements = new Map(rows.map((r) => [r.key, r.value]));
    const scope = elements.get(scopeKey);
    if (!scope) throw new WeftError('NOT_FOUND', `scopeKey: instance ${instanceId} has no live scope '${scopeKey}'`);
    const names = Object.keys(edit.variables);
    const previous: Variables = {};
    for (const name of names) if (scope.variables && name in scope.variables) previous[name] = scope.variables[name];
    const updated: ElementInstance = { ...scope, variables: { ...(scope.variables ?? {}), ...edit.variables } };
    await trx('instance_entries').where({ instance_id: instanceId, kind: 'element', key: scopeKey }).update({ value: JSON.stringify(updated) });
    await trx('process_instances').where({ id: instanceId }).update({ revision: trx.raw('revision + 1'), updated_at: trx.fn.now() });

    const jobs = await trx('jobs').where({ process_instance_id: instanceId }).whereIn('state', OPEN_JOB_STATES).select('key', 'element_instance_key', 'variables');
    const touchedJobs: string[] = [];
    for (const job of jobs) {
      const visible = visibleFrom(elements, job.element_instance_key, scopeKey, names);
      if (visible.length === 0) continue;
      const patch = Object.fromEntries(visible.map((name) => [name, edit.variables[name]]));
      await trx('jobs').where({ key: job.key }).update({ variables: JSON.stringify({ ...job.variables, ...patch }), updated_at: trx.fn.now() });
      touchedJobs.push(job.key);
    }
    const payload = { scopeKey, reason: edit.reason, variables: edit.variables, previous, jobs: touchedJobs };
    await trx('audit').insert({ process_instance_id: instanceId, actor, type: 'VARIABLES_UPDATED', element_id: scope.elementId, element_instance_key: scopeKey, payload: scrubJson(JSON.stringify(payload)) });
    return { key: scopeKey, elementId: scope.elementId, variables: updated.variables! };
  });
}

/**
 * The edited names an element instance sees from `scopeKey`: none when the
 * element is not inside that scope; otherwise those no nearer scope (or the
 * element's own local variables) shadows.
 */
function visibleFrom(elements: Map<string, ElementInstance>, elementKey: string, scopeKey: string, names: string[]): string[] {
  const shadowed = new Set<string>();
  let key: string | null = elementKey;
  for (let depth = 0; key !== null && depth < 10_000; depth++) {
    if (key === scopeKey) return names.filter((n) => !shadowed.has(n));
    const element = elements.get(key);
    if (!element) return [];
    for (const name of Object.keys(element.variables ?? {})) shadowed.add(name);
    key = element.scopeKey;
  }
  return [];
}
