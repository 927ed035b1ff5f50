/**
 * ISO 8601 durations (`PT5M`, `P1DT2H`, `P2W`, `-PT30S`, `P1Y2M`) added to
 * an instant, as Camunda 8 reads them in timers: years and months are
 * calendar steps (Jan 31 + P1M is the last day of February), everything
 * else a fixed length (a day is 24 hours: instants are in UTC).
 *
 * Written out rather than evaluated as FEEL: a timer is armed for every
 * instance that reaches it and again on every repetition of a cycle, and a
 * bounded FEEL evaluation costs most of a millisecond where this costs
 * microseconds.
 */

const DURATION = /^([-+])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export interface IsoDuration {
  /** Calendar months (years × 12 + months), signed. */
  months: number;
  /** Everything else, in milliseconds, signed. */
  ms: number;
}

/** The parts of an ISO 8601 duration, or null when `text` is none. */
export function parseDuration(text: string): IsoDuration | null {
  const m = DURATION.exec(text);
  // `P`, `PT` and `P1DT` name no amount.
  if (!m || m.slice(2).every((part) => part === undefined) || text.endsWith('T')) return null;
  const [, sign, years, months, weeks, days, hours, minutes, seconds] = m;
  const n = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));
  const direction = sign === '-' ? -1 : 1;
  const ms = ((n(weeks) * 7 + n(days)) * 24 * 3600 + n(hours) * 3600 + n(minutes) * 60 + n(seconds)) * 1000;
  return { months: direction * (n(years) * 12 + n(months)), ms: direction * Math.round(ms) };
}

/** `instant` + the ISO 8601 duration `iso`, as an ISO UTC string; null if `iso` is no duration or the result is no date. */
export function addDuration(instant: string, iso: string): string | null {
  const duration = parseDuration(iso);
  return duration ? plus(instant, duration) : null;
}

/** `instant` + `duration`, as an ISO UTC string; null past the range of dates. */
export function plus(instant: string, duration: IsoDuration): string | null {
  const at = new Date(Date.parse(instant));
  if (duration.months !== 0) {
    const total = at.getUTCFullYear() * 12 + at.getUTCMonth() + duration.months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    // The day is kept where the target month has it, else its last day (as java.time and Temporal do).
    const lastDay = new Date(new Date(0).setUTCFullYear(year, month + 1, 0)).getUTCDate();
    at.setUTCFullYear(year, month, Math.min(at.getUTCDate(), lastDay));
  }
  const result = at.getTime() + duration.ms;
  return Number.isFinite(result) && Math.abs(result) <= 8.64e15 ? new Date(result).toISOString() : null;
}
