/**
 * How deep containers (sub-processes, transactions, ad-hoc sub-processes)
 * may nest. The compiler and the runtime walk containers recursively; 5,000
 * nested sub-processes (about 300 kB of XML) overflowed the compiler's stack
 * and answered 500. This walk is iterative and runs before any transformer,
 * so a model past the limit is a problem naming the element, never a crash.
 */
import type { Container, ModdleElement } from './moddle.js';
import type { Problems } from './problems.js';

/** Far past what a readable diagram holds; small enough that every recursive walk is safe. */
export const MAX_CONTAINER_DEPTH = 100;

/** Adds a problem and answers false when a container in `process` nests deeper than MAX_CONTAINER_DEPTH. */
export function checkNesting(process: Container, problems: Problems): boolean {
  const stack: { container: Container; depth: number }[] = [{ container: process, depth: 0 }];
  while (stack.length > 0) {
    const { container, depth } = stack.pop()!;
    for (const node of container.flowElements ?? []) {
      if (!isContainer(node)) continue;
      if (depth + 1 > MAX_CONTAINER_DEPTH) {
        problems.add(
          { elementId: node.id, elementKind: node.$type },
          `${node.$type} "${node.id ?? ''}" is nested ${depth + 1} containers deep in process "${process.id}"; Weft allows at most ${MAX_CONTAINER_DEPTH} levels of sub-processes`,
        );
        return false;
      }
      stack.push({ container: node, depth: depth + 1 });
    }
  }
  return true;
}

/** bpmn:Transaction and bpmn:AdHocSubProcess are sub-processes too; an empty one still counts as a level. */
const CONTAINER_TYPES = new Set(['bpmn:SubProcess', 'bpmn:Transaction', 'bpmn:AdHocSubProcess']);

function isContainer(node: ModdleElement): node is Container {
  return CONTAINER_TYPES.has(node.$type);
}
