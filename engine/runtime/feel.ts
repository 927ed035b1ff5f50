/**
 * FEEL evaluation for the runtime (feelin). A failure is data, not an
 * exception: the caller turns it into an incident on the element.
 *
 * A result of `null` that comes with warnings (a missing variable, a property
 * of null, a bad argument) is treated as a failure: in a condition or a job
 * type a silent null hides a modelling mistake. A non-null result with
 * warnings is accepted, as Zeebe does.
 */
import { evaluate } from 'feelin';
import type { Variables } from './types.js';
import type { ValueOrExpression } from '../model/types.js';

export type FeelResult = { ok: true; value: unknown } | { ok: false; message: string };

export function evaluateFeel(expression: string, context: Variables): FeelResult {
  let result;
  try {
    result = evaluate(expression, context);
  } catch (err) {
    return { ok: false, message: `FEEL expression '${expression}' failed: ${(err as Error).message}` };
  }
  if (result.value === null && result.warnings.length > 0) {
    const reasons = result.warnings.map((w) => w.message).join('; ');
    return { ok: false, message: `FEEL expression '${expression}' evaluated to null: ${reasons}` };
  }
  return { ok: true, value: toJson(result.value) };
}

/** A literal stays a string; an expression is evaluated. */
export function resolveValue(v: ValueOrExpression, context: Variables): FeelResult {
  return 'feel' in v ? evaluateFeel(v.feel, context) : { ok: true, value: v.value };
}

/** FEEL temporal values, ranges and functions become JSON the store can keep. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'function') return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return String(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return null;
}
