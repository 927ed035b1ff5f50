/**
 * FEEL evaluation for the runtime (feelin). A failure is data, not an
 * exception: the caller turns it into an incident on the element.
 *
 * A result of `null` that comes with warnings (a missing variable, a property
 * of null, a bad argument) is treated as a failure: in a condition or a job
 * type a silent null hides a modelling mistake. A non-null result with
 * warnings is accepted, as Zeebe does.
 *
 * FEEL's clock functions `now()` and `today()` read the step's clock (`now`,
 * from the StepContext), not the machine's, so a step stays a function of its
 * inputs.
 *
 * Every evaluation is bounded (feel-limits.ts): time (feel-sandbox.ts, for
 * expressions that can iterate or call, feel-shape.ts), the size of ranges,
 * strings and function results, and the nesting of calls (feel-guards.ts),
 * and the size of the result (toJson). A breach is a failure naming the
 * expression and the bound.
 */
import { date, dateAndTime, evaluate, unaryTest, type Warning } from 'feelin';
import { FEEL_DIALECT } from './feel-dialect.js';
import { describeLimit, feelLimits, FeelLimitError, type FeelLimits } from './feel-limits.js';
import { guarded } from './feel-guards.js';
import { withinTime } from './feel-sandbox.js';
import { canRunLong, type FeelGrammar } from './feel-shape.js';
import type { Variables } from './types.js';
import type { ValueOrExpression } from '../model/types.js';

export type FeelResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Evaluates a user's expression within `limits` (the process's, set from the configuration, unless given). */
export function evaluateFeel(expression: string, context: Variables, now: string, limits: FeelLimits = feelLimits()): FeelResult {
  return bounded(`FEEL expression '${expression}'`, expression, 'expression', limits, () => evaluateJson(expression, { ...clock(now), ...named(expression, context) }, limits));
}

/**
 * The same bounds, for expressions whose null is an answer, not a mistake: a
 * connector's `errorExpression` (`if error.code = "404" then bpmnError(…) else
 * null`) reads `error.code` of a null error on every success.
 */
export function evaluateFeelOrNull(expression: string, context: Variables, now: string, limits: FeelLimits = feelLimits()): FeelResult {
  return bounded(`FEEL expression '${expression}'`, expression, 'expression', limits, () => {
    const result = evaluate(expression, { ...clock(now), ...named(expression, context) }, FEEL_DIALECT);
    return { ok: true, value: toJson(result.value, { limits, items: 0 }) };
  });
}

/**
 * The variables `expression` can read: those whose name occurs in its text.
 * feelin converts the whole context it is given, deeply, on every
 * evaluation, so a run of a multi-instance would otherwise pay for the
 * 10,000-item input collection each time its output element is read. FEEL
 * has no way to reach a variable without writing its name, so nothing
 * reachable is left out.
 */
function named(expression: string, context: Variables): Variables {
  let all = true;
  for (const name in context) if (!expression.includes(name)) all = false;
  if (all) return context;
  const reachable: Variables = {};
  for (const name in context) if (expression.includes(name)) reachable[name] = context[name];
  return reachable;
}

export type UnaryTestsResult = { ok: true; value: boolean } | { ok: false; message: string };

/**
 * Evaluates a decision table's input entry (`> 10`, `"gold", "silver"`,
 * `[1..5]`, `-`) against `input`, the value of its input expression (`?` in
 * the tests), with `context` as its variables; under the same bounds as
 * evaluateFeel. Null (the input cannot be compared) is no match. A test that
 * reads a variable or calls a function that is not there fails instead of
 * silently not matching: a misspelled name would otherwise make a rule dead.
 */
export function evaluateUnaryTests(tests: string, input: unknown, context: Variables, now: string, limits: FeelLimits = feelLimits()): UnaryTestsResult {
  const what = `FEEL unary tests '${tests}'`;
  const result = bounded(what, tests, 'unaryTests', limits, () => {
    const { value, warnings } = unaryTest(tests, { ...clock(now), ...context, '?': input }, FEEL_DIALECT);
    const mistakes = warnings.filter(isMistake);
    if (value !== true && mistakes.length > 0) return { ok: false as const, message: `${what} could not be evaluated: ${mistakes.map((w) => w.message).join('; ')}` };
    return { ok: true as const, value: value === true };
  });
  return result.ok ? { ok: true, value: result.value as boolean } : result;
}

/** Warnings that say the tests themselves are wrong, not that the input is of another type. */
function isMistake(warning: Warning): boolean {
  return warning.type === 'NO_VARIABLE_FOUND' || warning.type === 'NO_FUNCTION_FOUND' || warning.type === 'FUNCTION_INVOCATION_FAILURE';
}

/** Runs `run` under the time, size and depth bounds; a breach or a throw is a failure naming `what`. */
function bounded(what: string, text: string, grammar: FeelGrammar, limits: FeelLimits, run: () => FeelResult): FeelResult {
  warmUp();
  let timed;
  try {
    // The bounds wrap the timer, not the other way round: V8 runs no `finally` inside a script it
    // terminates, so guarded() must restore its budget outside the timed script.
    timed = guarded(limits, () => (canRunLong(text, grammar) ? withinTime(limits.timeMs, run) : { ok: true as const, value: run() }));
  } catch (err) {
    return { ok: false, message: `${what} ${failure(err, limits)}` };
  }
  if (!timed.ok) return { ok: false, message: `${what} was stopped: it ran past the ${describeLimit('timeMs', limits.timeMs)}` };
  return timed.value;
}

function evaluateJson(expression: string, context: Variables, limits: FeelLimits): FeelResult {
  const result = evaluate(expression, context, FEEL_DIALECT);
  if (result.value === null && result.warnings.length > 0) {
    const reasons = result.warnings.map((w) => w.message).join('; ');
    return { ok: false, message: `FEEL expression '${expression}' evaluated to null: ${reasons}` };
  }
  return { ok: true, value: toJson(result.value, { limits, items: 0 }) };
}

function failure(err: unknown, limits: FeelLimits): string {
  if (err instanceof FeelLimitError) return `was stopped: ${err.message}`;
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return `was stopped: its calls nest too deeply for the stack (${describeLimit('maxDepth', limits.maxDepth)})`;
  }
  return `failed: ${(err as Error).message}`;
}

let warm = false;

/**
 * The first evaluations in a process compile feelin's parser and
 * interpreter and set up temporal-polyfill (tens to hundreds of ms on a busy
 * machine); done once, unbounded, so the time bound measures the expression.
 */
function warmUp(): void {
  if (warm) return;
  warm = true;
  evaluate('for i in [1, 2] return if i > 1 then string(i) + "x" else date("2026-01-01") + duration("P1D")', {}, FEEL_DIALECT);
  evaluate('{ a: [1, 2, 3][item > 1], b: upper case(string join(["a"], ",")) }.a', {}, FEEL_DIALECT);
}

const builtinCache = new Map<string, boolean>();

/**
 * Is `name` one of FEEL's built-in functions? feelin exports no list, so
 * feelin is asked: a built-in evaluates to a function in an empty context.
 * Only a plain name is ever evaluated here (a look-up, nothing that can run
 * long), so this needs no bound.
 */
export function isBuiltinFunctionName(name: string): boolean {
  let known = builtinCache.get(name);
  if (known === undefined) {
    known = false;
    if (/^[\p{L}_?][\p{L}\p{N}_? ]*$/u.test(name)) {
      try {
        const result = evaluate(name, {}, FEEL_DIALECT);
        known = typeof result.value === 'function' && result.warnings.length === 0;
      } catch {
        known = false;
      }
    }
    builtinCache.set(name, known);
  }
  return known;
}

/** A literal stays a string; an expression is evaluated. */
export function resolveValue(v: ValueOrExpression, context: Variables, now: string): FeelResult {
  return 'feel' in v ? evaluateFeel(v.feel, context, now) : { ok: true, value: v.value };
}

/** `now()` and `today()` for FEEL, from the step's clock (an ISO instant); a variable of the same name still wins. */
function clock(now: string): Variables {
  return {
    now: () => dateAndTime(now),
    today: () => date(now.slice(0, 10)),
  };
}

interface ResultBudget {
  limits: FeelLimits;
  items: number;
}

/**
 * FEEL temporal values, ranges and functions become JSON the store can keep.
 *
 * With a budget, the result is bounded: at most `maxItems` values in all, no
 * string longer than `maxStringLength` (a list that holds itself twice per
 * level, `[partial[-1], partial[-1]]`, is small in memory but huge as JSON).
 */
export function toJson(value: unknown, budget?: ResultBudget): unknown {
  if (budget && ++budget.items > budget.limits.maxItems) {
    throw new FeelLimitError('maxItems', budget.limits.maxItems, `a result of more than ${budget.limits.maxItems} values`);
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (budget && value.length > budget.limits.maxStringLength) {
      throw new FeelLimitError('maxStringLength', budget.limits.maxStringLength, `a result string of ${value.length} characters`);
    }
    return value;
  }
  if (typeof value === 'function') return null;
  if (Array.isArray(value)) return value.map((v) => toJson(v, budget));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return String(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, budget);
    return out;
  }
  return null;
}

/**
 * The instant of a zoned ISO 8601 date-time, as an ISO UTC string, or null.
 *
 * Accepts what Zeebe accepts for due and follow-up dates (a FEEL date-time or
 * a string `ZonedDateTime.parse` reads): `2026-12-01T10:00:00+01:00`, `…Z`,
 * `…+01:00[Europe/Berlin]`, and FEEL's own `…@Europe/Berlin` (how a FEEL
 * date-time with a zone id comes out of `toJson`). A date-time without a zone
 * is refused: its instant would depend on the server's time zone. `Date.parse`
 * is not used, as it takes almost anything (`"1"`, `"12/01/2026"`).
 */
export function zonedDateTimeToIso(text: string): string | null {
  // The bracketed zone id after an offset only names the zone; the offset fixes the instant.
  const iso = text.replace(/(Z|[+-]\d{2}:\d{2})\[[^\]]+\]$/, '$1');
  let parsed;
  try {
    parsed = dateAndTime(iso);
  } catch {
    return null;
  }
  if (!parsed || parsed.zone === null) return null;
  try {
    return new Date(parsed.unwrap().toZonedDateTime(parsed.zone).epochMilliseconds).toISOString();
  } catch {
    return null;
  }
}
