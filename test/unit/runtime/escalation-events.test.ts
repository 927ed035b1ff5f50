import { describe, expect, it } from 'vitest';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

// escalation-events.bpmn: in sub-process `order`, 10 < amount < 100 throws TOO_BIG (caught, non-interrupting,
// by `escalated` → `inform`); amount ≥ 100 ends in STOP (caught, interrupting, by `stopped`); otherwise
// NOBODY is thrown, which nothing catches.
describe('runtime: escalation events', () => {
  it('a non-interrupting catcher starts its path and the thrower goes on', async () => {
    const s = scenario(await compiled('escalation-events.bpmn')).start();
    s.completeTask('amount', { amount: 11 });
    expect(liveElements(s.state).sort()).toEqual(['inform', 'order', 'place']);
    expect(s.audits().find((a) => a.type === 'ESCALATION_THROWN')?.payload).toMatchObject({ escalationCode: 'TOO_BIG', caughtBy: 'escalated', interrupting: false });
    s.completeTask('place');
    expect(s.activated()).toContain('end');
    s.completeTask('inform');
    expect(s.state.status).toBe('COMPLETED');
  });

  it('an interrupting catcher ends the sub-process', async () => {
    const s = scenario(await compiled('escalation-events.bpmn')).start();
    s.completeTask('amount', { amount: 500 });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).toContain('stopped-end');
    expect(s.activated()).not.toContain('end');
  });

  it('an uncaught escalation is recorded and the flow continues', async () => {
    const s = scenario(await compiled('escalation-events.bpmn')).start();
    s.completeTask('amount', { amount: 1 });
    expect(liveElements(s.state).sort()).toEqual(['order', 'place']);
    expect(s.audits().find((a) => a.type === 'ESCALATION_THROWN')?.payload).toEqual({ escalationCode: 'NOBODY', caughtBy: null });
    expect(s.effectsOf('OPEN_INCIDENT')).toEqual([]);
  });
});
