import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { scenario } from './scenario.js';

const xml = readFileSync(new URL('../../fixtures/runtime/waits-core.bpmn', import.meta.url), 'utf8');

async function waits() {
  const { processes, problems } = await compile(xml, 'waits-core.bpmn');
  expect(problems).toEqual([]);
  return processes[0];
}

describe('runtime: waits (timers and message subscriptions)', () => {
  it('opens the boundary events\' waits with the activity and closes them when it completes', async () => {
    const s = scenario(await waits()).start({ orderId: 'o-1', minutes: 5 });
    const timers = s.effectsOf('OPEN_TIMER');
    expect(timers).toHaveLength(1);
    expect(timers[0].timer).toMatchObject({ elementId: 'too-late', dueAt: new Date(Date.parse(s.ctx.now) + 2 * 3600_000).toISOString() });
    expect(s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION')[0].subscription).toMatchObject({ elementId: 'noted', messageName: 'note', correlationKey: 'o-1', interrupting: false });

    s.completeJob('ask');
    expect(s.effectsOf('CLOSE_TIMER')).toEqual([{ type: 'CLOSE_TIMER', timerId: timers[0].timer.id, state: 'CANCELED' }]);
    expect(s.effectsOf('CLOSE_MESSAGE_SUBSCRIPTION')).toHaveLength(1);
    const reply = s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION');
    expect(reply.map((e) => e.subscription)).toMatchObject([{ elementId: 'wait-reply', messageName: 'customer-reply', correlationKey: 'o-1' }]);
    expect(Object.keys(s.state.waits ?? {})).toEqual([reply[0].subscription.id]);

    s.run({ type: 'CORRELATE_MESSAGE', subscriptionId: reply[0].subscription.id, messageKey: 'm-1', variables: { answer: 'yes' } });
    expect(s.rootVariables()).toMatchObject({ answer: 'yes' });
    const pause = s.effectsOf('OPEN_TIMER')[0].timer;
    expect(pause).toMatchObject({ elementId: 'pause', dueAt: new Date(Date.parse(s.ctx.now) + 5 * 60_000).toISOString() });

    s.run({ type: 'FIRE_TIMER', timerId: pause.id });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.state.waits).toEqual({});
  });

  it('an interrupting timer ends the activity and cancels its job and its other waits', async () => {
    const s = scenario(await waits()).start({ orderId: 'o-1', minutes: 5 });
    const timer = s.effectsOf('OPEN_TIMER')[0].timer;
    s.run({ type: 'FIRE_TIMER', timerId: timer.id });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).toContain('late-end');
    expect(s.effectsOf('FINISH_JOB')).toMatchObject([{ state: 'CANCELED' }]);
    expect(s.effectsOf('CLOSE_MESSAGE_SUBSCRIPTION')).toMatchObject([{ state: 'CLOSED' }]);
    expect(s.rejected({ type: 'FIRE_TIMER', timerId: timer.id }).code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it('a non-interrupting message leaves the activity running and stays subscribed', async () => {
    const s = scenario(await waits()).start({ orderId: 'o-1', minutes: 5 });
    const note = s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION')[0].subscription;
    s.run({ type: 'CORRELATE_MESSAGE', subscriptionId: note.id, messageKey: 'm-1', variables: { note: 'first' } });
    s.run({ type: 'CORRELATE_MESSAGE', subscriptionId: note.id, messageKey: 'm-2', variables: { note: 'second' } });
    expect(s.rootVariables()).toMatchObject({ note: 'second' });
    expect(s.instanceOf('ask').state).toBe('ACTIVE');
    expect(Object.values(s.state.waits ?? {}).map((w) => w.elementId).sort()).toEqual(['noted', 'too-late']);
  });

  it('a timer that does not evaluate is an incident; resolving it re-arms', async () => {
    const s = scenario(await waits()).start({ orderId: 'o-1' });
    s.completeJob('ask');
    const reply = s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION')[0].subscription;
    s.run({ type: 'CORRELATE_MESSAGE', subscriptionId: reply.id, messageKey: 'm-1', variables: {} });
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'pause' });
    expect(s.incident().message).toContain("Timer of 'pause'");
  });

  it('a correlation key that is no string or number is an incident on the activity before its job is created', async () => {
    const s = scenario(await waits()).start({ orderId: { nested: true }, minutes: 1 });
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'ask' });
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);
  });
});
