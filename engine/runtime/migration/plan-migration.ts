/**
 * Checks a migration against the instance (pure, Camunda 8's rules): the
 * target is a version of the same process; every active element has an
 * explicit mapping (no implicit same-id mapping) to an element of the same
 * type inside the mapped scope; and nothing is in flight that a mapping
 * cannot carry (arrivals at a joining gateway). Problems are collected, not
 * thrown, so one refusal names every element at fault.
 */
import type { ExecutableProcess } from '../../model/types.js';
import type { ElementInstance, InstanceState } from '../types.js';
import type { MigrationMapping, MigrationProblem } from './mappings.js';

export function migrationProblems(source: ExecutableProcess, target: ExecutableProcess, state: InstanceState, mappings: MigrationMapping[]): MigrationProblem[] {
  if (target.id !== source.id) return [{ elementId: target.id, message: `The target is a version of process '${target.id}', not of '${source.id}'` }];
  const problems: MigrationProblem[] = [];
  const map = new Map<string, string>();
  for (const m of mappings) {
    if (map.has(m.sourceElementId)) problems.push({ elementId: m.sourceElementId, message: `'${m.sourceElementId}' is mapped more than once` });
    map.set(m.sourceElementId, m.targetElementId);
    const from = source.elements[m.sourceElementId];
    const to = target.elements[m.targetElementId];
    if (!from) problems.push({ elementId: m.sourceElementId, message: `The source version has no element '${m.sourceElementId}'` });
    if (!to) problems.push({ elementId: m.targetElementId, message: `The target version has no element '${m.targetElementId}'` });
    if (from && to && from.kind !== to.kind) {
      problems.push({ elementId: m.sourceElementId, message: `'${m.sourceElementId}' is a ${from.kind} and cannot be mapped to '${m.targetElementId}', a ${to.kind}` });
    }
  }
  const mapped = (id: string) => (id === source.id ? target.id : map.get(id));
  const live = Object.values(state.elements).filter((e) => e.key !== state.id);
  for (const instance of live) {
    const to = mapped(instance.elementId);
    if (to === undefined) {
      if (!problems.some((p) => p.elementId === instance.elementId)) problems.push({ elementId: instance.elementId, message: `Active element '${instance.elementId}' has no mapping` });
      continue;
    }
    const scopeId = instance.scopeKey ? state.elements[instance.scopeKey]?.elementId : undefined;
    const element = target.elements[to];
    const scopeTarget = scopeId === undefined ? undefined : mapped(scopeId);
    // The runs of a repeating activity are children of its body, which has the same element id.
    const expectedParent = scopeId === instance.elementId ? element?.parent : scopeTarget;
    if (element && scopeTarget !== undefined && element.parent !== expectedParent) {
      problems.push({ elementId: instance.elementId, message: `'${instance.elementId}' would leave its scope: '${to}' is not inside '${scopeTarget}'` });
    }
  }
  for (const instance of [state.elements[state.id], ...live]) {
    problems.push(...inFlight(state, instance, map));
  }
  return problems;
}

/** What one element instance holds that a mapping cannot carry. */
function inFlight(state: InstanceState, instance: ElementInstance, map: Map<string, string>): MigrationProblem[] {
  const problems: MigrationProblem[] = [];
  for (const gatewayId of Object.keys(instance.joins ?? {})) {
    problems.push({ elementId: gatewayId, message: `Joining gateway '${gatewayId}' holds arrivals of some of its branches; migrate after it has joined them` });
  }
  if (instance.kind === 'eventBasedGateway') {
    for (const wait of Object.values(state.waits ?? {})) {
      if (wait.elementInstanceKey === instance.key && !map.has(wait.elementId)) {
        problems.push({ elementId: wait.elementId, message: `Event-based gateway '${instance.elementId}' waits for '${wait.elementId}', which has no mapping` });
      }
    }
  }
  return problems;
}
