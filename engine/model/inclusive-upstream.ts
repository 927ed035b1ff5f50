/**
 * Precomputes, for every joining inclusive gateway, where tokens that could
 * still arrive on each incoming flow may be now. At run time the gateway may
 * fire once no active token sits in `upstream[flow]` for any flow that has
 * not yet delivered one.
 */
import type { ExecutableProcess } from './types.js';

type Graph = Pick<ExecutableProcess, 'elements' | 'flows'>;

export function computeInclusiveUpstream(graph: Graph): void {
  for (const gateway of Object.values(graph.elements)) {
    if (gateway.kind !== 'inclusiveGateway') continue;
    gateway.upstream = {};
    for (const flowId of gateway.incoming) {
      gateway.upstream[flowId] = reachingBackwards(graph, graph.flows[flowId].sourceRef, gateway.id);
    }
  }
}

/**
 * Element ids from which `start` is reachable by following flows forward
 * without passing through `stop` (walked backwards from `start`), `start`
 * included unless it is `stop`. Flows never cross a container boundary, so
 * the set stays within one container; a sub-process counts as one node. A
 * boundary event is reached from the activity it is attached to.
 */
function reachingBackwards(graph: Graph, start: string, stop: string): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (id === stop || seen.has(id)) continue;
    seen.add(id);
    const element = graph.elements[id];
    for (const flowId of element.incoming) queue.push(graph.flows[flowId].sourceRef);
    // A token in the activity can leave by its boundary event.
    if (element.kind === 'errorBoundaryEvent') queue.push(element.attachedTo);
  }
  return [...seen].sort();
}
