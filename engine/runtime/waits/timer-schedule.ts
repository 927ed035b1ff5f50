/**
 * When a timer is due, from its definition: pure (the step's clock is passed
 * in). A timer is evaluated when it is armed — when its element becomes
 * active — against the variables visible there, as in Camunda 8.
 *
 * - `timeDate`: an ISO 8601 date-time with a zone (or offset), or a FEEL
 *   date-time.
 * - `timeDuration`: an ISO 8601 duration (`PT5M`, `P1DT2H`), or a FEEL
 *   duration; due that long after now.
 * - `timeCycle`: a repeating interval `R[n]/[start/]duration` (`R3/PT10M`;
 *   `R/PT1H` repeats forever), or a cron expression.
 */
import type { TimerDefinition } from '../../model/types.js';
import type { TimerRepeat, Variables } from '../types.js';
import { evaluateFeel, resolveValue, zonedDateTimeToIso } from '../feel.js';

export type ArmedTimer = { ok: true; dueAt: string; repeat?: TimerRepeat } | { ok: false; message: string };

/** The first due time of `timer` armed at `now`, or why it cannot be armed (an incident). */
export function armTimer(timer: TimerDefinition, variables: Variables, now: string): ArmedTimer {
  const resolved = resolveValue(timer.expression, variables, now);
  if (!resolved.ok) return resolved;
  const text = typeof resolved.value === 'string' ? resolved.value.trim() : String(resolved.value ?? '');
  if (resolved.value === null || text === '') return { ok: false, message: `The timer's ${describe(timer.type)} is empty` };
  switch (timer.type) {
    case 'date': {
      const dueAt = zonedDateTimeToIso(text);
      return dueAt ? { ok: true, dueAt } : { ok: false, message: `'${text}' is not an ISO 8601 date-time with a zone, e.g. 2026-12-24T09:00:00Z` };
    }
    case 'duration': {
      const dueAt = addDuration(now, text);
      return dueAt ? { ok: true, dueAt } : { ok: false, message: `'${text}' is not an ISO 8601 duration, e.g. PT5M or P1DT2H` };
    }
    case 'cycle':
      return armCycle(text, now);
  }
}

/** The firing after one at `previousDueAt`, or null when the cycle has run out. */
export function nextOccurrence(repeat: TimerRepeat, previousDueAt: string): { dueAt: string; repeat: TimerRepeat } | null {
  if (repeat.remaining !== null && repeat.remaining <= 0) return null;
  const dueAt = addDuration(previousDueAt, repeat.cycle);
  if (!dueAt) return null;
  return { dueAt, repeat: { ...repeat, remaining: repeat.remaining === null ? null : repeat.remaining - 1 } };
}

function armCycle(text: string, now: string): ArmedTimer {
  const interval = /^R(\d*)\/(?:([^/]+)\/)?(P[^/]+)$/.exec(text);
  if (!interval) return { ok: false, message: `'${text}' is not a repeating interval such as R3/PT10M` };
  const [, count, start, period] = interval;
  const times = count === '' ? null : Number(count);
  if (times === 0) return { ok: false, message: `'${text}' repeats zero times` };
  const from = start ? zonedDateTimeToIso(start) : now;
  if (!from) return { ok: false, message: `The start '${start}' of '${text}' is not an ISO 8601 date-time with a zone` };
  // With a start date the first firing is at the start; without, one period from now.
  const dueAt = start ? from : addDuration(from, period);
  if (!dueAt) return { ok: false, message: `'${period}' in '${text}' is not an ISO 8601 duration` };
  return { ok: true, dueAt, repeat: { kind: 'interval', cycle: period, remaining: times === null ? null : times - 1 } };
}

/** `instant` + an ISO 8601 duration (calendar-aware: P1M is a month), as an ISO UTC string; null if it is no duration. */
export function addDuration(instant: string, iso: string): string | null {
  if (!/^-?P(?=\d|T\d)/.test(iso)) return null;
  const result = evaluateFeel('date and time(t) + duration(d)', { t: instant, d: iso }, instant);
  if (!result.ok || typeof result.value !== 'string') return null;
  return zonedDateTimeToIso(result.value);
}

function describe(type: TimerDefinition['type']): string {
  return type === 'date' ? 'timeDate' : type === 'duration' ? 'timeDuration' : 'timeCycle';
}
