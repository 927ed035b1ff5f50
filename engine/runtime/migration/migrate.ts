/**
 * Rebinds an instance to another version of its process (pure): its element
 * instances, jobs, incidents and waits take their mapped element ids and
 * keep everything else (variables, the job a worker holds, the inbox task,
 * a timer's due time). A boundary event left without a mapping has its wait
 * closed; one the target adds to a migrated activity has its wait opened,
 * through the boundary event's own behaviour, as if the activity had just
 * been entered.
 *
 * `migrateInstance` checks first (plan-migration.ts) and changes nothing when
 * it refuses; the caller writes the state and effects in one transaction.
 */
import type { ExecutableProcess } from '../../model/types.js';
import type { Effect, ElementInstance, InstanceState, CompensableRecord, StepContext } from '../types.js';
import { Run } from '../run.js';
import { closeWaitsOf, openWait } from '../waits/waits.js';
import { plainState } from '../state-index.js';
import type { MigratedElement, MigrationMapping, MigrationProblem, MigrationTarget } from './mappings.js';
import { migrationProblems } from './plan-migration.js';

export type MigrationResult =
  | { ok: true; state: InstanceState; effects: Effect[]; elements: MigratedElement[] }
  | { ok: false; problems: MigrationProblem[] };

/** `inPlace`: the caller owns `current` and gives it up (the command path's transaction state); else a copy is migrated (a dry run). */
export function migrateInstance(source: ExecutableProcess, current: InstanceState, target: MigrationTarget, mappings: MigrationMapping[], ctx: StepContext, options: { inPlace?: boolean } = {}): MigrationResult {
  const problems = migrationProblems(source, target.model, current, mappings);
  if (problems.length > 0) return { ok: false, problems };
  const state = options.inPlace ? current : structuredClone(plainState(current));
  const run = new Run(target.model, state, ctx);
  const map = new Map(mappings.map((m) => [m.sourceElementId, m.targetElementId]));
  map.set(source.id, target.model.id);
  const to = (id: string) => map.get(id) ?? id;
  const from = { definitionKey: state.definitionKey, version: state.version };

  const instances = Object.keys(state.elements).map((key) => state.elements[key]);
  const report = new Map<string, MigratedElement>();
  for (const instance of instances) {
    const sourceElementId = instance.elementId;
    instance.elementId = to(sourceElementId);
    if (instance.key === state.id) continue;
    const waitState = instance.jobKey || instance.taskId || instance.childInstanceId || run.index.waitIds(instance.key).some((id) => state.waits![id].elementId === sourceElementId) ? 'kept' : 'none';
    report.set(instance.key, { elementInstanceKey: instance.key, sourceElementId, targetElementId: instance.elementId, kind: instance.kind, waitState, boundaryEvents: { kept: [], closed: [], opened: [] } });
    if (instance.adHoc) for (const call of Object.values(instance.adHoc.calls)) call.elementId = to(call.elementId);
    if (instance.compensable) instance.compensable = renameRecords(instance.compensable, to);
  }
  for (const key of Object.keys(state.jobs)) state.jobs[key].elementId = to(state.jobs[key].elementId);
  for (const incident of Object.values(state.incidents)) incident.elementId = to(incident.elementId);

  for (const instance of instances) {
    const entry = report.get(instance.key);
    const sourceOwnerId = entry?.sourceElementId ?? source.id;
    const waits = run.index.waitIds(instance.key).map((id) => state.waits![id]);
    const unmapped = new Set(waits.filter((w) => w.elementId !== sourceOwnerId && !map.has(w.elementId)).map((w) => w.id));
    for (const wait of waits) {
      if (unmapped.has(wait.id)) entry?.boundaryEvents.closed.push(wait.elementId);
      else {
        if (wait.elementId !== sourceOwnerId) entry?.boundaryEvents.kept.push({ sourceElementId: wait.elementId, targetElementId: to(wait.elementId) });
        wait.elementId = to(wait.elementId);
      }
    }
    closeWaitsOf(run, instance, (w) => unmapped.has(w.id));
    const opened = openTargetWaits(run, instance);
    if (typeof opened === 'string') return { ok: false, problems: [{ elementId: instance.elementId, message: opened }] };
    entry?.boundaryEvents.opened.push(...opened);
  }

  state.definitionKey = target.definitionKey;
  state.version = target.version;
  run.audit('INSTANCE_MIGRATED', state.elements[state.id], { actor: ctx.actor.id, from, to: { definitionKey: target.definitionKey, version: target.version }, mappings });
  return { ok: true, state: options.inPlace ? state : plainState(state), effects: run.effects, elements: [...report.values()] };
}

/**
 * Opens the waits the target version's boundary events (and event
 * sub-process starts) put on `host` that it does not hold yet — what
 * entering the activity would have opened. Not for an element that has not
 * opened its waits yet (held by an activation incident: resolving it opens
 * them). Returns the catch events opened, or why one could not be.
 */
function openTargetWaits(run: Run, host: ElementInstance): string[] | string {
  if (host.state !== 'ACTIVE') return [];
  if (host.incidentId && run.state.incidents[host.incidentId]?.retry === 'activate') return [];
  const element = run.element(host.elementId);
  const held = new Set(run.index.waitIds(host.key).map((id) => run.state.waits![id].elementId));
  const boundaries = run.isRun(host) ? [] : (element.boundaryEvents ?? []);
  const starts = 'eventSubProcesses' in element && !host.loop ? (element.eventSubProcesses ?? []).map((id) => (run.element(id) as { startEventId: string }).startEventId) : [];
  const opened: string[] = [];
  for (const id of [...boundaries, ...starts]) {
    if (held.has(id)) continue;
    const catcher = run.element(id);
    const prepared = run.behaviourOf(catcher).waitOn?.(run, catcher, host);
    if (!prepared) continue;
    if (!prepared.ok) return `'${id}' of the target version cannot wait on '${host.elementId}': ${prepared.message}`;
    openWait(run, prepared.wait);
    opened.push(id);
  }
  return opened;
}

function renameRecords(records: CompensableRecord[], to: (id: string) => string): CompensableRecord[] {
  return records.map((r) => ({ ...r, elementId: to(r.elementId), ...(r.handlerId ? { handlerId: to(r.handlerId) } : {}), ...(r.nested ? { nested: renameRecords(r.nested, to) } : {}) }));
}
