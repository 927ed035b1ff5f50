/**
 * The bounds on one evaluation of a user's FEEL expression.
 *
 * A user's expression (a condition, a mapping, a script, a job type, a due
 * date, a form rule, an agent policy) runs on the engine's event loop: without
 * bounds `count(for i in 1..3000000 return i)` stalls every instance for
 * seconds and `1..100000000` exhausts the heap and crashes the process. An
 * evaluation that breaches a bound fails, naming the bound; the caller turns
 * the failure into an incident on the element, as for any failed expression.
 *
 * The bounds are process settings (env, read by engine/config.ts at start),
 * not inputs of a step: an evaluation that stays within them gives the same
 * result as one without them.
 */

export interface FeelLimits {
  /** Wall time one evaluation may take; past it V8 stops the evaluation. */
  timeMs: number;
  /** Items a range may enumerate, a function may return, the result may hold. */
  maxItems: number;
  /** Characters of a string a function may take or return, or the result may hold. */
  maxStringLength: number;
  /** Function calls nested in one another (recursion in a user's `function(n) …`). */
  maxDepth: number;
}

/**
 * 20 ms: a hundred times what a usual expression takes (about 0.1–0.4 ms), so
 * load and GC pauses do not fail good expressions, and short enough that a
 * runaway one holds the other instances up only briefly.
 */
export const DEFAULT_FEEL_LIMITS: Readonly<FeelLimits> = Object.freeze({
  timeMs: 20,
  maxItems: 100_000,
  maxStringLength: 1_000_000,
  maxDepth: 200,
});

/** The environment variable an operator sets for each bound (read by engine/config.ts). */
export const FEEL_LIMIT_SETTINGS: Readonly<Record<keyof FeelLimits, string>> = Object.freeze({
  timeMs: 'WEFT_FEEL_TIME_LIMIT_MS',
  maxItems: 'WEFT_FEEL_MAX_ITEMS',
  maxStringLength: 'WEFT_FEEL_MAX_STRING_LENGTH',
  maxDepth: 'WEFT_FEEL_MAX_DEPTH',
});

let current: Readonly<FeelLimits> = DEFAULT_FEEL_LIMITS;

/** Sets the bounds of this process (at start, from the configuration). */
export function setFeelLimits(limits: Partial<FeelLimits>): void {
  current = Object.freeze({ ...DEFAULT_FEEL_LIMITS, ...limits });
}

export function feelLimits(): Readonly<FeelLimits> {
  return current;
}

/** Thrown inside an evaluation when it breaches a bound; evaluateFeel turns it into a failure. */
export class FeelLimitError extends Error {
  constructor(
    readonly limit: keyof FeelLimits,
    readonly value: number,
    /** What breached it, e.g. "a range of 3000000 items". */
    readonly what: string,
  ) {
    super(`${what} exceeds the ${describeLimit(limit, value)}`);
    this.name = 'FeelLimitError';
  }
}

/** "time limit of 20 ms (WEFT_FEEL_TIME_LIMIT_MS)", for messages that name the bound. */
export function describeLimit(limit: keyof FeelLimits, value: number): string {
  const names: Record<keyof FeelLimits, string> = {
    timeMs: `time limit of ${value} ms`,
    maxItems: `limit of ${value} items`,
    maxStringLength: `limit of ${value} characters`,
    maxDepth: `limit of ${value} nested calls`,
  };
  return `${names[limit]} (${FEEL_LIMIT_SETTINGS[limit]})`;
}
