import { describe, expect, it } from 'vitest';
import { fixtureProcess } from './fixture.js';
import { scenario, type Scenario } from './scenario.js';

const NOW = '2026-03-28T10:00:00.000Z';
const review = () => fixtureProcess('timers/timer-boundary.bpmn');

/** The open timer of boundary event `elementId`. */
function timerOf(s: Scenario, elementId: string) {
  const open = Object.values(s.state.waits ?? {}).filter((w) => w.type === 'timer' && w.elementId === elementId);
  if (open.length !== 1) throw new Error(`expected one open timer of ${elementId}, found ${open.length}`);
  return open[0];
}

function fire(s: Scenario, elementId: string): Scenario {
  const timer = timerOf(s, elementId);
  s.ctx.now = timer.dueAt!;
  return s.run({ type: 'FIRE_TIMER', timerId: timer.id });
}

describe('runtime: timer boundary events', () => {
  it('arms every timer on the activity when it becomes active', async () => {
    // when
    const s = scenario(await review(), NOW).start();
    // then
    expect(s.effectsOf('OPEN_TIMER').map((e) => [e.timer.elementId, e.timer.dueAt])).toEqual([
      ['one-day', '2026-03-29T10:00:00.000Z'],
      ['hourly', '2026-03-28T11:00:00.000Z'],
    ]);
    // both belong to the user task's element instance: they close when it leaves
    const task = s.instanceOf('review-claim');
    expect(s.effectsOf('OPEN_TIMER').every((e) => e.timer.elementInstanceKey === task.key)).toBe(true);
  });

  it('an interrupting timer takes the task away and escalates; the other timer is canceled', async () => {
    // given
    const s = scenario(await review(), NOW).start();
    const taskId = s.taskId('review-claim');
    const hourly = timerOf(s, 'hourly');
    // when a day has passed
    fire(s, 'one-day');
    // then
    expect(s.effectsOf('FINISH_TASK')).toEqual([{ type: 'FINISH_TASK', taskId, state: 'CANCELED' }]);
    expect(s.effectsOf('CLOSE_TIMER')).toEqual(expect.arrayContaining([{ type: 'CLOSE_TIMER', timerId: hourly.id, state: 'CANCELED' }]));
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['escalate']);
    expect(s.activated()).toEqual(['one-day', 'escalate']);
    expect(s.state.waits).toEqual({});
  });

  it('a non-interrupting R3 cycle reminds exactly three times while the task stays open', async () => {
    // given
    const s = scenario(await review(), NOW).start();
    const reminders: string[] = [];
    // when the hourly timer fires as long as it is armed
    for (let i = 0; i < 3; i++) {
      fire(s, 'hourly');
      reminders.push(s.ctx.now);
      expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['remind']);
      expect(s.instanceOf('review-claim').state).toBe('ACTIVE');
    }
    // then it fired on the hour three times, and no fourth timer was armed
    expect(reminders).toEqual(['2026-03-28T11:00:00.000Z', '2026-03-28T12:00:00.000Z', '2026-03-28T13:00:00.000Z']);
    expect(s.effectsOf('OPEN_TIMER')).toEqual([]);
    expect(Object.values(s.state.waits ?? {}).map((w) => w.elementId)).toEqual(['one-day']);
  });

  it('the cycle stops when the task completes', async () => {
    // given a reminder has gone out and the next is armed
    const s = scenario(await review(), NOW).start();
    fire(s, 'hourly');
    const next = timerOf(s, 'hourly');
    const oneDay = timerOf(s, 'one-day');
    expect(next.repeat).toEqual({ kind: 'interval', cycle: 'PT1H', remaining: 1 });
    // when the reviewer completes the task
    s.completeTask('review-claim');
    // then both timers on it are canceled
    expect(s.effectsOf('CLOSE_TIMER')).toEqual([
      { type: 'CLOSE_TIMER', timerId: oneDay.id, state: 'CANCELED' },
      { type: 'CLOSE_TIMER', timerId: next.id, state: 'CANCELED' },
    ]);
    expect(s.state.waits).toEqual({});
    expect(s.rejected({ type: 'FIRE_TIMER', timerId: next.id }).code).toBe('TIMER_NOT_ACTIVE');
  });
});
