/**
 * Which processes of a file are compiled: those marked `isExecutable="true"`
 * (the pools of a collaboration are plain processes too). A file with a single
 * process is compiled even if it is not marked, since there is no doubt which
 * one is meant.
 *
 * A file with several processes and none marked deploys nothing. The problem
 * names them all, with their pools, and says which to mark; those with
 * anything in them are compiled all the same, so their own problems come in
 * the same answer rather than one redeploy later.
 */
import type { Container, Definitions, ModdleElement } from './moddle.js';
import type { Problems } from './problems.js';

interface Participant extends ModdleElement {
  name?: string;
  processRef?: ModdleElement;
}

export function selectProcesses(definitions: Definitions, problems: Problems): Container[] {
  const all = (definitions.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process') as Container[];
  if (all.length === 0) {
    problems.add({ elementId: definitions.id, elementKind: definitions.$type }, 'The file contains no bpmn:process');
    return [];
  }
  const unnamed = all.filter((p) => !p.id);
  for (const _ of unnamed) problems.add({ elementKind: 'bpmn:Process', field: 'id' }, 'A bpmn:process has no id');
  if (unnamed.length > 0) return [];
  const executable = all.filter((p) => p.isExecutable === true);
  if (executable.length > 0) return executable;
  if (all.length === 1) return all;
  const drawn = all.filter((p) => (p.flowElements ?? []).length > 0);
  problems.add({ elementId: definitions.id, elementKind: definitions.$type }, noneExecutable(all, drawn, poolNames(definitions)));
  return drawn;
}

function noneExecutable(all: Container[], drawn: Container[], pools: Map<string, string>): string {
  const listed = all.map((p) => {
    const name = pools.get(p.id) ?? p.name;
    return name ? `${p.id} "${name}"` : p.id;
  });
  const none = `None of the ${all.length} processes (${listed.join(', ')}) is marked isExecutable="true", so none would run`;
  if (drawn.length === 0) return `${none}, and none of them has any elements`;
  if (drawn.length === 1) return `${none}: set isExecutable="true" on "${drawn[0].id}", the only one with elements`;
  return `${none}: set isExecutable="true" on each one to deploy (those with elements: ${drawn.map((p) => p.id).join(', ')})`;
}

/** Process id → the name of the pool (participant) that shows it, which is what the diagram shows. */
function poolNames(definitions: Definitions): Map<string, string> {
  const pools = new Map<string, string>();
  for (const collaboration of (definitions.rootElements ?? []).filter((e) => e.$type === 'bpmn:Collaboration')) {
    for (const participant of ((collaboration as { participants?: Participant[] }).participants ?? [])) {
      const processId = participant.processRef?.id;
      if (processId && participant.name?.trim()) pools.set(processId, participant.name.trim());
    }
  }
  return pools;
}
