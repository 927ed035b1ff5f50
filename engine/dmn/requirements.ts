/**
 * The requirement graph of a file's decisions: which decisions must be
 * evaluated, in which order, for one of them. Walked without recursion, so
 * a long chain of requirements cannot exhaust the stack.
 */
import type { CompiledDecision } from './types.js';

type Decisions = Readonly<Record<string, Pick<CompiledDecision, 'requires'>>>;

/**
 * `decisionId` and everything it requires, each after what it requires
 * (depth first, in document order); each decision once, however many
 * decisions require it. Assumes the graph has no cycle (checked at deploy).
 */
export function evaluationOrder(decisions: Decisions, decisionId: string): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const stack: { id: string; next: number }[] = [{ id: decisionId, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const requires = decisions[top.id]?.requires ?? [];
    const next = requires[top.next++];
    if (next === undefined) {
      stack.pop();
      if (!done.has(top.id)) {
        done.add(top.id);
        order.push(top.id);
      }
    } else if (!done.has(next) && !stack.some((s) => s.id === next)) {
      stack.push({ id: next, next: 0 });
    }
  }
  return order;
}

/** A circle of requirements (its decision ids, in order), or undefined when there is none. */
export function findCycle(decisions: Decisions): string[] | undefined {
  const state = new Map<string, 'open' | 'closed'>();
  for (const start of Object.keys(decisions)) {
    if (state.has(start)) continue;
    const path: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 'open');
    while (path.length > 0) {
      const top = path[path.length - 1];
      const next = (decisions[top.id]?.requires ?? [])[top.next++];
      if (next === undefined) {
        state.set(top.id, 'closed');
        path.pop();
      } else if (state.get(next) === 'open') {
        return path.slice(path.findIndex((p) => p.id === next)).map((p) => p.id);
      } else if (!state.has(next) && decisions[next]) {
        state.set(next, 'open');
        path.push({ id: next, next: 0 });
      }
    }
  }
  return undefined;
}
