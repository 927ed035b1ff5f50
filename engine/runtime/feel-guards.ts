/**
 * Size and depth bounds inside feelin, without forking it.
 *
 * The time bound (feel-sandbox.ts) stops a loop, but not memory that is taken
 * in one step, nor recursion: feelin enumerates a range into an array in one
 * call (`for i in 1..100000000` would allocate 10^8 items before any check),
 * `1..2.5` never reaches its end, `partial[-1] + partial[-1]` doubles a string
 * per step, and a user's recursive function overflows the stack. Every range
 * enumeration goes through `FeelRange.prototype.map` and every function call
 * (builtins, user functions, `now()`) through `FeelFunction.prototype.invoke`,
 * both exported by feelin; wrapping the two prototypes checks sizes before
 * anything is allocated and counts nesting. Outside `guarded()` (no
 * evaluation of ours running) they behave as feelin's own.
 */
import { FeelFunction, FeelRange } from 'feelin';
import { FeelLimitError, type FeelLimits } from './feel-limits.js';

interface Budget {
  limits: FeelLimits;
  depth: number;
}

let active: Budget | undefined;

/** Runs `fn` with the size and depth bounds of `limits` in force. */
export function guarded<T>(limits: FeelLimits, fn: () => T): T {
  const outer = active;
  // A fresh budget per evaluation: a terminated evaluation leaves no count behind.
  active = { limits, depth: 0 };
  try {
    return fn();
  } finally {
    active = outer;
  }
}

type RangeProps = { start: unknown; end: unknown; 'start included': boolean; 'end included': boolean };

/** How many items `map` would produce: Infinity when it would never stop (`1..2.5`). */
export function rangeSize(range: RangeProps): number {
  const { start, end } = range;
  if (typeof start !== 'number' || typeof end !== 'number') return 0; // feelin caps character ranges at 52
  const span = Math.abs(end - start);
  // feelin steps by 1 from start until it meets end exactly.
  if (!Number.isInteger(span)) return Infinity;
  return span + 1 - (range['start included'] ? 0 : 1) - (range['end included'] ? 0 : 1);
}

const rangeMap = FeelRange.prototype.map as (this: FeelRange, fn: (value: unknown) => unknown) => unknown[];
FeelRange.prototype.map = function guardedMap(this: FeelRange, fn: (value: unknown) => unknown) {
  if (active) {
    const size = rangeSize(this as unknown as RangeProps);
    if (size > active.limits.maxItems) {
      const what = size === Infinity ? `the range ${String(this)} (it never reaches its end)` : `a range of ${size} items`;
      throw new FeelLimitError('maxItems', active.limits.maxItems, what);
    }
  }
  return rangeMap.call(this, fn);
} as typeof FeelRange.prototype.map;

const invoke = FeelFunction.prototype.invoke as (this: FeelFunction, args: unknown) => unknown;
FeelFunction.prototype.invoke = function guardedInvoke(this: FeelFunction, args: unknown) {
  const budget = active;
  if (!budget) return invoke.call(this, args);
  if (budget.depth >= budget.limits.maxDepth) throw new FeelLimitError('maxDepth', budget.limits.maxDepth, 'a chain of nested function calls');
  // A builtin reads (and V8 flattens) a string argument in one native step: check before it runs.
  for (const arg of Array.isArray(args) ? args : Object.values(args as object)) checkString(arg, budget.limits, 'an argument');
  budget.depth++;
  const result = invoke.call(this, args);
  budget.depth--;
  checkString(result, budget.limits, 'a function result');
  if (Array.isArray(result) && result.length > budget.limits.maxItems) {
    throw new FeelLimitError('maxItems', budget.limits.maxItems, `a function result of ${result.length} items`);
  }
  return result;
} as typeof FeelFunction.prototype.invoke;

function checkString(value: unknown, limits: FeelLimits, what: string): void {
  if (typeof value === 'string' && value.length > limits.maxStringLength) {
    throw new FeelLimitError('maxStringLength', limits.maxStringLength, `${what} of ${value.length} characters`);
  }
}
