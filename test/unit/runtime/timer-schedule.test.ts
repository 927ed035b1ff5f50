import { describe, expect, it } from 'vitest';
import { armTimer, nextOccurrence } from '../../../engine/runtime/waits/timer-schedule.js';
import { addDuration } from '../../../engine/runtime/waits/iso-duration.js';
import type { TimerDefinition } from '../../../engine/model/types.js';
import type { TimerRepeat } from '../../../engine/runtime/types.js';

// A Saturday.
const NOW = '2026-03-28T10:00:00.000Z';

const literal = (type: TimerDefinition['type'], value: string): TimerDefinition => ({ type, expression: { value } });
const feel = (type: TimerDefinition['type'], expression: string): TimerDefinition => ({ type, expression: { feel: expression } });

function due(timer: TimerDefinition, variables = {}, now = NOW): string {
  const armed = armTimer(timer, variables, now);
  if (!armed.ok) throw new Error(armed.message);
  return armed.dueAt;
}

function refusal(timer: TimerDefinition, variables = {}): string {
  const armed = armTimer(timer, variables, NOW);
  if (armed.ok) throw new Error(`expected ${JSON.stringify(timer)} to be refused, got ${armed.dueAt}`);
  return armed.message;
}

describe('timer schedule: timeDate', () => {
  it('is the instant of an ISO 8601 date-time with a zone or offset', () => {
    expect(due(literal('date', '2026-12-24T09:00:00Z'))).toBe('2026-12-24T09:00:00.000Z');
    expect(due(literal('date', '2026-12-24T09:00:00+01:00'))).toBe('2026-12-24T08:00:00.000Z');
    expect(due(literal('date', '2026-07-01T10:00:00+02:00[Europe/Berlin]'))).toBe('2026-07-01T08:00:00.000Z');
  });

  it('takes a FEEL date-time, with a zone id or computed from now()', () => {
    expect(due(feel('date', 'date and time("2026-07-01T10:00:00@Europe/Berlin")'))).toBe('2026-07-01T08:00:00.000Z');
    expect(due(feel('date', 'now() + duration("PT1H")'))).toBe('2026-03-28T11:00:00.000Z');
    expect(due(feel('date', 'deadline'), { deadline: '2026-04-01T00:00:00Z' })).toBe('2026-04-01T00:00:00.000Z');
  });

  it('refuses a date-time without a zone (its instant would depend on the server)', () => {
    expect(refusal(literal('date', '2026-12-24T09:00:00'))).toContain('is not an ISO 8601 date-time with a zone');
  });

  it('refuses a FEEL result that is no date-time, and an empty one', () => {
    expect(refusal(feel('date', 'deadline'), { deadline: 42 })).toBe("The timer's timeDate evaluated to 42, which is no date-time");
    expect(refusal(feel('date', 'deadline'), { deadline: '' })).toBe("The timer's timeDate is empty");
    expect(refusal(feel('date', 'deadline'), { deadline: null })).toBe("The timer's timeDate is empty");
  });

  it('says why a FEEL expression did not evaluate', () => {
    expect(refusal(feel('date', 'date and time(missing)'))).toContain('missing');
  });
});

describe('timer schedule: timeDuration', () => {
  it('is due that long after now', () => {
    expect(due(literal('duration', 'PT5M'))).toBe('2026-03-28T10:05:00.000Z');
    expect(due(literal('duration', 'P1DT2H'))).toBe('2026-03-29T12:00:00.000Z');
    expect(due(literal('duration', 'PT1.5S'))).toBe('2026-03-28T10:00:01.500Z');
    expect(due(literal('duration', 'P2W'))).toBe('2026-04-11T10:00:00.000Z');
    expect(due(literal('duration', 'P1Y2M3DT4H5M6S'))).toBe('2027-05-31T14:05:06.000Z');
  });

  it('steps months and years on the calendar, keeping the day where the month has it', () => {
    expect(addDuration('2026-01-31T10:00:00.000Z', 'P1M')).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration('2028-01-31T10:00:00.000Z', 'P1M')).toBe('2028-02-29T10:00:00.000Z');
    expect(addDuration('2028-02-29T10:00:00.000Z', 'P1Y')).toBe('2029-02-28T10:00:00.000Z');
    expect(addDuration('2026-03-31T10:00:00.000Z', '-P1M')).toBe('2026-02-28T10:00:00.000Z');
  });

  it('is due at once when zero or negative (as in Camunda 8)', () => {
    expect(due(literal('duration', 'PT0S'))).toBe(NOW);
    expect(due(literal('duration', '-PT5M'))).toBe('2026-03-28T09:55:00.000Z');
  });

  it('takes a FEEL duration, including one computed from dates', () => {
    expect(due(feel('duration', 'duration("PT" + string(minutes) + "M")'), { minutes: 15 })).toBe('2026-03-28T10:15:00.000Z');
    expect(due(feel('duration', 'duration("P1Y")'))).toBe('2027-03-28T10:00:00.000Z');
    expect(due(feel('duration', 'date and time("2026-04-02T00:00:00Z") - date and time("2026-04-01T00:00:00Z")'))).toBe('2026-03-29T10:00:00.000Z');
    expect(due(feel('duration', 'wait'), { wait: 'PT30S' })).toBe('2026-03-28T10:00:30.000Z');
  });

  it('refuses what is no ISO 8601 duration', () => {
    for (const text of ['PT5X', 'P', 'PT', 'P1DT', '5M', 'PT-5M', 'five minutes']) {
      expect(refusal(literal('duration', text)), text).toContain('is not an ISO 8601 duration');
    }
    expect(refusal(feel('duration', 'minutes'), { minutes: 5 })).toBe("The timer's timeDuration evaluated to 5, which is no duration");
  });
});

describe('timer schedule: timeCycle as a repeating interval', () => {
  it('R3/PT10M: first due one period from now, two more firings to come', () => {
    expect(armTimer(literal('cycle', 'R3/PT10M'), {}, NOW)).toEqual({
      ok: true,
      dueAt: '2026-03-28T10:10:00.000Z',
      repeat: { kind: 'interval', cycle: 'PT10M', remaining: 2 },
    });
  });

  it('R/PT1H repeats forever', () => {
    expect(armTimer(literal('cycle', 'R/PT1H'), {}, NOW)).toMatchObject({ dueAt: '2026-03-28T11:00:00.000Z', repeat: { remaining: null } });
  });

  it('with a start date, fires first at the start', () => {
    expect(armTimer(literal('cycle', 'R3/2026-04-01T09:00:00+02:00[Europe/Berlin]/P1D'), {}, NOW)).toMatchObject({
      dueAt: '2026-04-01T07:00:00.000Z',
      repeat: { kind: 'interval', cycle: 'P1D', remaining: 2 },
    });
  });

  it('takes a FEEL string', () => {
    expect(armTimer(feel('cycle', '"R" + string(times) + "/PT1M"'), { times: 2 }, NOW)).toMatchObject({ dueAt: '2026-03-28T10:01:00.000Z', repeat: { remaining: 1 } });
  });

  it('refuses zero repetitions, a period of zero, and what is no interval', () => {
    expect(refusal(literal('cycle', 'R0/PT1M'))).toBe("'R0/PT1M' repeats zero times");
    expect(refusal(literal('cycle', 'R/PT0S'))).toBe("The period 'PT0S' of 'R/PT0S' must be longer than zero");
    expect(refusal(literal('cycle', 'R3/PT1X'))).toBe("'PT1X' in 'R3/PT1X' is not an ISO 8601 duration");
    expect(refusal(literal('cycle', 'R3/tomorrow/PT1M'))).toContain("The start 'tomorrow' of 'R3/tomorrow/PT1M'");
    expect(refusal(literal('cycle', 'every-hour'))).toContain('is neither a repeating interval such as R3/PT10M nor a cron expression');
  });
});

describe('timer schedule: timeCycle as a cron expression (Camunda 8: six fields, UTC, forever)', () => {
  it('0 0 9 * * MON-FRI on a Saturday is due on Monday at nine', () => {
    expect(armTimer(literal('cycle', '0 0 9 * * MON-FRI'), {}, NOW)).toEqual({
      ok: true,
      dueAt: '2026-03-30T09:00:00.000Z',
      repeat: { kind: 'cron', cycle: '0 0 9 * * MON-FRI', remaining: null },
    });
  });

  it('reads seconds, steps, ranges, L and # as Spring does', () => {
    expect(due(literal('cycle', '*/10 * * * * *'))).toBe('2026-03-28T10:00:10.000Z');
    expect(due(literal('cycle', '0 30 8-10 * * *'))).toBe('2026-03-28T10:30:00.000Z');
    expect(due(literal('cycle', '0 30 8-9 * * *'))).toBe('2026-03-29T08:30:00.000Z');
    expect(due(literal('cycle', '0 0 0 L * ?'))).toBe('2026-03-31T00:00:00.000Z');
    expect(due(literal('cycle', '0 0 12 ? * MON#2'))).toBe('2026-04-13T12:00:00.000Z');
  });

  it('takes Spring\'s macros', () => {
    expect(due(literal('cycle', '@daily'))).toBe('2026-03-29T00:00:00.000Z');
    expect(due(literal('cycle', '@hourly'))).toBe('2026-03-28T11:00:00.000Z');
    expect(due(literal('cycle', '@monthly'))).toBe('2026-04-01T00:00:00.000Z');
    expect(due(literal('cycle', '@weekly'))).toBe('2026-03-29T00:00:00.000Z');
  });

  it('a day of month and a day of week both given must both match (Friday the 13th)', () => {
    expect(due(literal('cycle', '0 0 0 13 * FRI'))).toBe('2026-11-13T00:00:00.000Z');
  });

  it('refuses five-field Unix cron, cron-parser\'s own additions, and bad fields', () => {
    expect(refusal(literal('cycle', '0 9 * * MON-FRI'))).toContain('has 5 fields; it needs six: second minute hour day-of-month month day-of-week');
    expect(refusal(literal('cycle', 'H 0 9 * * *'))).toContain('uses H');
    expect(refusal(literal('cycle', '@weekdays'))).toContain("'@weekdays' is not a cron macro");
    expect(refusal(literal('cycle', '0 0 25 * * *'))).toContain('is not a cron expression');
    expect(refusal(literal('cycle', '0 0 9 * * FUNDAY'))).toContain('is not a cron expression');
  });
});

describe('timer schedule: the next firing of a cycle', () => {
  const interval = (cycle: string, remaining: number | null): TimerRepeat => ({ kind: 'interval', cycle, remaining });

  it('counts down the repetitions: R3 fires three times in all', () => {
    const armed = armTimer(literal('cycle', 'R3/PT10M'), {}, NOW);
    if (!armed.ok) throw new Error(armed.message);
    const second = nextOccurrence(armed.repeat!, armed.dueAt, armed.dueAt)!;
    const third = nextOccurrence(second.repeat, second.dueAt, second.dueAt)!;
    expect([armed.dueAt, second.dueAt, third.dueAt]).toEqual(['2026-03-28T10:10:00.000Z', '2026-03-28T10:20:00.000Z', '2026-03-28T10:30:00.000Z']);
    expect(nextOccurrence(third.repeat, third.dueAt, third.dueAt)).toBeNull();
  });

  it('keeps its cadence from the due time, not from when the sweep fired it', () => {
    expect(nextOccurrence(interval('PT10M', null), '2026-03-28T10:10:00.000Z', '2026-03-28T10:10:00.900Z')?.dueAt).toBe('2026-03-28T10:20:00.000Z');
  });

  it('after an engine was down for several periods, fires once and goes on from the first due time after now, in step', () => {
    const next = nextOccurrence(interval('PT10M', 5), '2026-03-28T10:10:00.000Z', '2026-03-28T11:05:00.000Z');
    expect(next).toEqual({ dueAt: '2026-03-28T11:10:00.000Z', repeat: interval('PT10M', 4) });
    expect(nextOccurrence(interval('P1M', null), '2026-01-31T00:00:00.000Z', '2026-05-15T00:00:00.000Z')?.dueAt).toBe('2026-05-31T00:00:00.000Z');
  });

  it('a cron cycle comes due at its next match after the previous firing, or after now when it fell behind', () => {
    const cron: TimerRepeat = { kind: 'cron', cycle: '0 0 9 * * MON-FRI', remaining: null };
    expect(nextOccurrence(cron, '2026-03-30T09:00:00.000Z', '2026-03-30T09:00:00.400Z')).toEqual({ dueAt: '2026-03-31T09:00:00.000Z', repeat: cron });
    expect(nextOccurrence(cron, '2026-03-30T09:00:00.000Z', '2026-04-02T12:00:00.000Z')?.dueAt).toBe('2026-04-03T09:00:00.000Z');
  });
});
