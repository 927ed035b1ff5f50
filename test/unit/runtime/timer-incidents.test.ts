import { describe, expect, it } from 'vitest';
import { fixtureProcess } from './fixture.js';
import { INSTANCE_ID, scenario, type Scenario } from './scenario.js';

const NOW = '2026-03-28T10:00:00.000Z';
const followUp = () => fixtureProcess('timers/timer-incident.bpmn');

/** What an operator's variable update leaves behind (the pure core has no command for it; the instance state is changed as that update would change it). */
function setRootVariable(s: Scenario, name: string, value: unknown): void {
  s.state.elements[INSTANCE_ID].variables![name] = value;
}

describe('runtime: a timer that does not evaluate', () => {
  it('opens an incident on the catch event instead of a timer; resolving it re-arms the timer', async () => {
    // given a follow-up whose duration variable is missing
    const s = scenario(await followUp(), NOW).start({ callTimeout: 'PT5M' });
    // then
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'wait-for-follow-up' });
    expect(s.incident().message).toContain("Timer of 'wait-for-follow-up'");
    expect(s.incident().message).toContain('followUp');
    expect(s.effectsOf('OPEN_TIMER')).toEqual([]);

    // when the variable is set and the incident resolved
    setRootVariable(s, 'followUp', 'P2D');
    s.resolve();

    // then the timer is armed from the time of the resolution
    expect(s.effectsOf('OPEN_TIMER').map((e) => [e.timer.elementId, e.timer.dueAt])).toEqual([['wait-for-follow-up', '2026-03-30T10:00:00.000Z']]);
    expect(s.state.incidents).toEqual({});
  });

  it('a result that is no duration is an incident naming what it got', async () => {
    const s = scenario(await followUp(), NOW).start({ followUp: 3, callTimeout: 'PT5M' });
    expect(s.incident().message).toBe("Timer of 'wait-for-follow-up': The timer's timeDuration evaluated to 3, which is no duration");
  });

  it('on a boundary event: an incident on the activity before its job exists; resolving creates both', async () => {
    // given the follow-up has come due, and the call's timeout variable is missing
    const s = scenario(await followUp(), NOW).start({ followUp: 'PT1M' });
    s.run({ type: 'FIRE_TIMER', timerId: s.effectsOf('OPEN_TIMER')[0].timer.id });
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'call' });
    expect(s.incident().message).toContain("Timer of 'call-timeout'");
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);

    // when
    setRootVariable(s, 'callTimeout', 'PT30M');
    s.resolve();

    // then
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['call-customer']);
    expect(s.effectsOf('OPEN_TIMER').map((e) => [e.timer.elementId, e.timer.dueAt])).toEqual([['call-timeout', '2026-03-28T10:30:00.000Z']]);
  });
});
