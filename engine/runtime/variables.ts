/**
 * Variable scopes, Zeebe style. Scopes are element instances that hold
 * `variables`: the process instance (root), sub-processes, and any element
 * with input mappings (its local variables).
 *
 * - Reading: an element sees the merge of its scope chain, inner wins.
 * - Propagating (job/task results, start variables): each variable is set on
 *   the nearest scope that already holds it, else on the root.
 * - Output mappings write into the element's flow scope, with propagation.
 */
import type { ElementInstance, InstanceState, Variables } from './types.js';
import type { ValueOrExpression, VariableMapping } from '../model/types.js';
import { resolveValue } from './feel.js';

/** The chain from `key` up to the root, innermost first. */
export function scopeChain(state: InstanceState, key: string | null): ElementInstance[] {
  const chain: ElementInstance[] = [];
  let current = key ? state.elements[key] : undefined;
  while (current) {
    chain.push(current);
    current = current.scopeKey ? state.elements[current.scopeKey] : undefined;
  }
  return chain;
}

export function visibleVariables(state: InstanceState, key: string): Variables {
  const chain = scopeChain(state, key);
  const merged: Variables = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(merged, chain[i].variables);
  return merged;
}

/**
 * Sets each variable on the nearest scope (starting at `key`) that holds it,
 * else on the root. Returns the writes as `{scopeKey → variables}` for the audit.
 */
export function propagate(state: InstanceState, key: string, variables: Variables): Record<string, Variables> {
  const chain = scopeChain(state, key);
  const root = chain[chain.length - 1];
  const writes: Record<string, Variables> = {};
  for (const [name, value] of Object.entries(variables)) {
    const holder = chain.find((scope) => scope.variables && name in scope.variables) ?? root;
    holder.variables ??= {};
    holder.variables[name] = value;
    (writes[holder.key] ??= {})[name] = value;
  }
  return writes;
}

/** Sets variables on exactly one scope (input mappings make local variables). */
export function setLocal(instance: ElementInstance, variables: Variables): void {
  instance.variables = { ...(instance.variables ?? {}), ...variables };
}

export type MappingResult = { ok: true; variables: Variables } | { ok: false; message: string; target: string };

/**
 * Evaluates mappings against `context` (`now` is the step's clock): a FEEL source is
 * evaluated, a literal one is set as the string it is. Targets may be dotted paths
 * (`customer.name`), which build nested contexts as Zeebe does.
 */
export function applyMappings(mappings: VariableMapping[], context: Variables, now: string): MappingResult {
  const out: Variables = {};
  for (const mapping of mappings) {
    // Later mappings may read earlier targets, as in Zeebe.
    const result = resolveValue(sourceOf(mapping), { ...context, ...out }, now);
    if (!result.ok) return { ok: false, message: result.message, target: mapping.target };
    // A dotted target updates the context the variable already holds (`customer.name` keeps customer's other fields).
    const root = mapping.target.split('.')[0];
    if (mapping.target.includes('.') && !(root in out) && isContext(context[root])) out[root] = context[root];
    assignPath(out, mapping.target, result.value);
  }
  return { ok: true, variables: out };
}

/**
 * Definitions are stored compiled and never recompiled: those deployed before
 * literal sources were told apart hold the source as FEEL text, and keep
 * running as they were compiled.
 */
function sourceOf(mapping: VariableMapping): ValueOrExpression {
  const source: ValueOrExpression | string = mapping.source;
  return typeof source === 'string' ? { feel: source } : source;
}

function isContext(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function assignPath(target: Variables, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node[part] = isContext(next) ? { ...next } : {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
