/**
 * Cron time cycles, read as Camunda 8 reads them (Spring's CronExpression):
 * six fields — second, minute, hour, day of month, month, day of week —
 * (`0 0 9-17 * * MON-FRI`), or one of Spring's macros (`@daily`); always in
 * UTC; repeating until the timer is closed. Dates come from cron-parser, a
 * pure computation here: every call passes the date to count from.
 *
 * Where Spring and cron-parser read the same text differently, Spring wins:
 * - exactly six fields (a five-field Unix cron would shift every field);
 * - a day of month and a day of week both given must both match (Spring),
 *   where Unix cron takes either;
 * - cron-parser's own additions (`H`, `@minutely`, `@weekdays`) are refused.
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';

/** Spring's macros and what they stand for. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

/** How far to look for a day that matches both a day of month and a day of week (Friday the 13th comes at least every 14 months). */
const MAX_BOTH_DAYS_TRIES = 1000;

/** Does `text` look like a cron expression rather than an ISO 8601 interval? */
export function looksLikeCron(text: string): boolean {
  return text.startsWith('@') || /\s/.test(text);
}

/** The six fields of a cron expression, or why it is none. */
export function cronFields(text: string): { ok: true; fields: string[] } | { ok: false; message: string } {
  const expanded = text.startsWith('@') ? MACROS[text.toLowerCase()] : text;
  if (!expanded) return { ok: false, message: `'${text}' is not a cron macro; use one of ${Object.keys(MACROS).join(', ')}` };
  const fields = expanded.trim().split(/\s+/);
  if (fields.length !== 6) {
    return { ok: false, message: `The cron expression '${text}' has ${fields.length} fields; it needs six: second minute hour day-of-month month day-of-week, e.g. 0 0 9 * * MON-FRI` };
  }
  if (fields.some((f) => /(^|[^A-Z])H([^A-Z]|$)/i.test(f))) return { ok: false, message: `The cron expression '${text}' uses H, which Camunda 8 does not know` };
  const checked = parse(fields, new Date(0).toISOString());
  return checked.ok ? { ok: true, fields } : checked;
}

/** The first time `fields` match strictly after `after` (an ISO instant), as an ISO UTC string; null when they never do again. */
export function nextCron(fields: string[], after: string): string | null {
  const restricted = (f: string) => f !== '*' && f !== '?';
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (!restricted(dayOfMonth) || !restricted(dayOfWeek)) return next(fields, after);
  // Both days given: step through the days of the month that match and keep the first on a matching weekday.
  const byMonthDay = parse([second, minute, hour, dayOfMonth, month, '*'], after);
  const byWeekday = parse([second, minute, hour, '*', month, dayOfWeek], after);
  if (!byMonthDay.ok || !byWeekday.ok) return null;
  for (let i = 0; i < MAX_BOTH_DAYS_TRIES && byMonthDay.expression.hasNext(); i++) {
    const candidate = byMonthDay.expression.next().toDate();
    if (byWeekday.expression.includesDate(candidate)) return candidate.toISOString();
  }
  return null;
}

function next(fields: string[], after: string): string | null {
  const parsed = parse(fields, after);
  if (!parsed.ok || !parsed.expression.hasNext()) return null;
  return parsed.expression.next().toISOString();
}

function parse(fields: string[], after: string): { ok: true; expression: CronExpression } | { ok: false; message: string } {
  const text = fields.join(' ');
  try {
    return { ok: true, expression: CronExpressionParser.parse(text, { currentDate: after, tz: 'UTC' }) };
  } catch (error) {
    return { ok: false, message: `'${text}' is not a cron expression: ${(error as Error).message}` };
  }
}
