/**
 * When a timer is due, from its definition: pure (the step's clock is passed
 * in). A timer is evaluated when it is armed — when its element becomes
 * active, or for a timer start event when it is deployed — against the
 * variables visible there, as in Camunda 8.
 *
 * - `timeDate`: an ISO 8601 date-time with a zone or offset
 *   (`2026-12-24T09:00:00Z`, `…+01:00[Europe/Berlin]`), or a FEEL date-time.
 * - `timeDuration`: an ISO 8601 duration (`PT5M`, `P1DT2H`, `P2W`), or a FEEL
 *   duration; due that long after now (zero or negative: due at once).
 * - `timeCycle`: a repeating interval `R[n]/[start/]duration` (`R3/PT10M`
 *   fires three times; `R/PT1H` forever; with a start, first at the start),
 *   or a cron expression (`0 0 9 * * MON-FRI`, `@daily`; UTC, forever).
 */
import type { TimerDefinition } from '../../model/types.js';
import type { TimerRepeat, Variables } from '../types.js';
import { resolveValue, zonedDateTimeToIso } from '../feel.js';
import { parseDuration, plus, type IsoDuration } from './iso-duration.js';
import { cronFields, looksLikeCron, nextCron } from './cron-schedule.js';

export type ArmedTimer = { ok: true; dueAt: string; repeat?: TimerRepeat } | { ok: false; message: string };

/** Calendar periods (P1M) are stepped one at a time when a cycle catches up; this bounds the steps. */
const MAX_CALENDAR_STEPS = 10_000;

/** The first due time of `timer` armed at `now`, or why it cannot be armed (an incident, or at deploy a refusal). */
export function armTimer(timer: TimerDefinition, variables: Variables, now: string): ArmedTimer {
  const resolved = resolveValue(timer.expression, variables, now);
  if (!resolved.ok) return resolved;
  // FEEL date-times and durations arrive as their ISO 8601 text (feel.ts toJson).
  if (typeof resolved.value !== 'string') {
    if (resolved.value === null) return { ok: false, message: `The timer's ${describe(timer.type)} is empty` };
    return { ok: false, message: `The timer's ${describe(timer.type)} evaluated to ${JSON.stringify(resolved.value)}, which is no ${expected(timer.type)}` };
  }
  const text = resolved.value.trim();
  if (text === '') return { ok: false, message: `The timer's ${describe(timer.type)} is empty` };
  switch (timer.type) {
    case 'date': {
      const dueAt = zonedDateTimeToIso(text);
      return dueAt ? { ok: true, dueAt } : { ok: false, message: `'${text}' is not an ISO 8601 date-time with a zone, e.g. 2026-12-24T09:00:00Z` };
    }
    case 'duration': {
      const duration = parseDuration(text);
      const dueAt = duration && plus(now, duration);
      return dueAt ? { ok: true, dueAt } : { ok: false, message: `'${text}' is not an ISO 8601 duration, e.g. PT5M or P1DT2H` };
    }
    case 'cycle':
      return looksLikeCron(text) ? armCron(text, now) : armInterval(text, now);
  }
}

/**
 * The firing after one that was due at `previousDueAt`, seen at `now`; null
 * when the cycle has run out. Firings missed while no engine ran (the
 * engine was stopped for longer than a period) are not made up one by one:
 * the overdue firing stands for them and the cycle goes on from the first
 * due time after `now`, in step with its start. A repetition count counts
 * firings.
 */
export function nextOccurrence(repeat: TimerRepeat, previousDueAt: string, now: string): { dueAt: string; repeat: TimerRepeat } | null {
  if (repeat.remaining !== null && repeat.remaining <= 0) return null;
  const dueAt = repeat.kind === 'cron' ? nextCronAfter(repeat.cycle, previousDueAt, now) : nextInterval(repeat.cycle, previousDueAt, now);
  if (!dueAt) return null;
  return { dueAt, repeat: { ...repeat, remaining: repeat.remaining === null ? null : repeat.remaining - 1 } };
}

function armInterval(text: string, now: string): ArmedTimer {
  const interval = /^R(\d*)\/(?:(.+)\/)?([^/]+)$/.exec(text); // a start may name a zone: 2026-01-01T10:00:00+01:00[Europe/Berlin]
  if (!interval) return { ok: false, message: `'${text}' is neither a repeating interval such as R3/PT10M nor a cron expression such as 0 0 9 * * MON-FRI` };
  const [, count, start, period] = interval;
  const duration = parseDuration(period);
  if (!duration) return { ok: false, message: `'${period}' in '${text}' is not an ISO 8601 duration` };
  if (!positive(duration)) return { ok: false, message: `The period '${period}' of '${text}' must be longer than zero` };
  const times = count === '' ? null : Number(count);
  if (times === 0) return { ok: false, message: `'${text}' repeats zero times` };
  const from = start ? zonedDateTimeToIso(start) : now;
  if (!from) return { ok: false, message: `The start '${start}' of '${text}' is not an ISO 8601 date-time with a zone` };
  // With a start date the first firing is at the start; without, one period from now.
  const dueAt = start ? from : plus(from, duration);
  if (!dueAt) return { ok: false, message: `'${text}' has no due date within the range of dates` };
  return { ok: true, dueAt, repeat: { kind: 'interval', cycle: period, remaining: times === null ? null : times - 1 } };
}

function armCron(text: string, now: string): ArmedTimer {
  const parsed = cronFields(text);
  if (!parsed.ok) return parsed;
  const dueAt = nextCron(parsed.fields, now);
  if (!dueAt) return { ok: false, message: `The cron expression '${text}' never comes due` };
  return { ok: true, dueAt, repeat: { kind: 'cron', cycle: text, remaining: null } };
}

function nextInterval(period: string, previousDueAt: string, now: string): string | null {
  const duration = parseDuration(period);
  if (!duration || !positive(duration)) return null;
  const nowMs = Date.parse(now);
  let next = plus(previousDueAt, duration);
  if (!next || Date.parse(next) > nowMs) return next;
  if (duration.months === 0) {
    // A fixed period: jump straight to the first due time after now.
    const steps = Math.floor((nowMs - Date.parse(next)) / duration.ms) + 1;
    return plus(next, { months: 0, ms: steps * duration.ms });
  }
  // Whole multiples of the period from the previous due time, so the day of the month does not drift (Jan 31, Feb 28, Mar 31).
  for (let k = 2; next && Date.parse(next) <= nowMs && k < MAX_CALENDAR_STEPS; k++) next = plus(previousDueAt, { months: k * duration.months, ms: k * duration.ms });
  return next;
}

function nextCronAfter(text: string, previousDueAt: string, now: string): string | null {
  const parsed = cronFields(text);
  if (!parsed.ok) return null;
  return nextCron(parsed.fields, Date.parse(previousDueAt) > Date.parse(now) ? previousDueAt : now);
}

/** Does the duration move time forward? (A cycle of zero would fire without end.) */
function positive(duration: IsoDuration): boolean {
  return duration.months > 0 || (duration.months === 0 && duration.ms > 0);
}

function describe(type: TimerDefinition['type']): string {
  return type === 'date' ? 'timeDate' : type === 'duration' ? 'timeDuration' : 'timeCycle';
}

function expected(type: TimerDefinition['type']): string {
  return type === 'date' ? 'date-time' : type === 'duration' ? 'duration' : 'cycle';
}
