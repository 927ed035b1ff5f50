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
 */
import { date, dateAndTime, evaluate } from 'feelin';
import type { Variables } from './types.js';
import type { ValueOrExpression } from '../model/types.js';

export type FeelResult = { ok: true; value: unknown } | { ok: false; message: string };

export function evaluateFeel(expression: string, context: Variables, now: string): FeelResult {
  let result;
  try {
    result = evaluate(expression, { ...clock(now), ...context });
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
