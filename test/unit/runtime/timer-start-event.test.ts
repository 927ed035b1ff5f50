import { describe, expect, it } from 'vitest';
import { fixtureProcess } from './fixture.js';
import { INSTANCE_ID } from './scenario.js';
import { testContext } from './process-builder.js';
import { startInstance } from '../../../engine/runtime/step.js';
import { armTimer, nextOccurrence } from '../../../engine/runtime/waits/timer-schedule.js';

// A Saturday.
const NOW = '2026-03-28T10:00:00.000Z';
const report = () => fixtureProcess('timers/timer-start.bpmn');
const meta = { id: INSTANCE_ID, definitionKey: 'def-1', version: 1 };

describe('runtime: timer start event', () => {
  it('is listed as the way the process starts, and schedules from the deployment on', async () => {
    // given
    const definition = await report();
    const process = definition.elements[definition.id];
    expect(process.kind === 'process' && process.eventStarts).toEqual(['every-morning']);
    const start = definition.elements['every-morning'];
    if (start.kind !== 'timerStartEvent') throw new Error('not a timer start event');
    // when the schedule is armed at deploy time (no variables exist yet)
    const armed = armTimer(start.timer, {}, NOW);
    // then it is due on Monday at seven, and after that on Tuesday
    expect(armed).toEqual({ ok: true, dueAt: '2026-03-30T07:00:00.000Z', repeat: { kind: 'cron', cycle: '0 0 7 * * MON-FRI', remaining: null } });
    if (!armed.ok) return;
    expect(nextOccurrence(armed.repeat!, armed.dueAt, armed.dueAt)?.dueAt).toBe('2026-03-31T07:00:00.000Z');
  });

  it('when it fires, an instance starts at the timer start event', async () => {
    // when
    const started = startInstance(await report(), meta, {}, testContext(NOW), 'every-morning');
    // then
    if (!started.ok) throw new Error(started.rejection.message);
    const activated = started.effects.flatMap((e) => (e.type === 'AUDIT' && e.event.type === 'ELEMENT_ACTIVATED' ? [e.event.elementId] : []));
    expect(activated).toEqual(['morning-report', 'every-morning', 'compile-report']);
    expect(started.effects.filter((e) => e.type === 'CREATE_JOB')).toHaveLength(1);
  });

  it('a plain start is refused: the process has no none start event', async () => {
    // when
    const started = startInstance(await report(), meta, {}, testContext(NOW));
    // then
    expect(started).toEqual({
      ok: false,
      rejection: {
        code: 'NO_NONE_START_EVENT',
        message: "Process 'morning-report' has no none start event; it is started by its start events ('every-morning'): a timer or a published message",
      },
    });
  });
});
