import { describe, expect, it } from 'vitest';
import { fixtureProcess } from './fixture.js';
import { scenario } from './scenario.js';

const NOW = '2026-03-28T10:00:00.000Z';
const catching = (processId: string) => fixtureProcess('timers/timer-catch.bpmn', processId);

describe('runtime: timer intermediate catch event', () => {
  it('waits for a written duration, then moves on when the timer fires', async () => {
    // given
    const s = scenario(await catching('cool-off'), NOW).start();
    // then the token waits at the timer, due ten minutes from now
    const [open] = s.effectsOf('OPEN_TIMER');
    expect(open.timer).toMatchObject({ elementId: 'ten-minutes', dueAt: '2026-03-28T10:10:00.000Z' });
    expect(s.instanceOf('ten-minutes').state).toBe('ACTIVE');
    expect(s.trace()).toContain('TIMER_CREATED ten-minutes');

    // when the timer fires
    s.ctx.now = open.timer.dueAt;
    s.run({ type: 'FIRE_TIMER', timerId: open.timer.id });

    // then the instance completes, and the timer row is closed as fired
    expect(s.state.status).toBe('COMPLETED');
    expect(s.effectsOf('CLOSE_TIMER')).toEqual([{ type: 'CLOSE_TIMER', timerId: open.timer.id, state: 'FIRED' }]);
    expect(s.trace().slice(0, 2)).toEqual(['TIMER_FIRED ten-minutes', 'ELEMENT_COMPLETED ten-minutes']);
  });

  it('waits until a date-time computed in FEEL from the variables', async () => {
    const s = scenario(await catching('until-deadline'), NOW).start({ order: { deadline: '2026-04-01T17:00:00+02:00' } });
    expect(s.effectsOf('OPEN_TIMER')[0].timer).toMatchObject({ elementId: 'deadline', dueAt: '2026-04-01T15:00:00.000Z' });
  });

  it('waits for a FEEL duration built from a variable', async () => {
    const s = scenario(await catching('pause'), NOW).start({ minutes: 45 });
    expect(s.effectsOf('OPEN_TIMER')[0].timer).toMatchObject({ elementId: 'wait', dueAt: '2026-03-28T10:45:00.000Z' });
  });

  it('refuses a second firing of the same timer', async () => {
    // given an instance whose timer fired
    const s = scenario(await catching('cool-off'), NOW).start();
    const timerId = s.effectsOf('OPEN_TIMER')[0].timer.id;
    s.run({ type: 'FIRE_TIMER', timerId });
    // then firing it again is refused (the sweep marks such a row canceled)
    expect(s.rejected({ type: 'FIRE_TIMER', timerId }).code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it('closes its timer when the instance is canceled while waiting', async () => {
    const s = scenario(await catching('cool-off'), NOW).start();
    const timerId = s.effectsOf('OPEN_TIMER')[0].timer.id;
    s.run({ type: 'CANCEL' });
    expect(s.effectsOf('CLOSE_TIMER')).toEqual([{ type: 'CLOSE_TIMER', timerId, state: 'CANCELED' }]);
    expect(s.state.waits).toEqual({});
  });
});
