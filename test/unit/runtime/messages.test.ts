/**
 * The pure behaviour of message waits, one diagram per scenario (beside the
 * spec under test/fixtures/runtime/messages): what subscription an element
 * opens, what a correlated message does to it, and what goes wrong as an
 * incident. Matching messages to subscriptions is the engine's (see
 * test/integration/messages.test.ts); here a CORRELATE_MESSAGE command
 * stands for it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import type { Variables } from '../../../engine/runtime/types.js';
import { scenario, type Scenario } from './scenario.js';

async function diagram(name: string) {
  const xml = readFileSync(new URL(`../../fixtures/runtime/messages/${name}`, import.meta.url), 'utf8');
  const { processes, problems } = await compile(xml, name);
  return { process: processes[0], problems };
}

async function definition(name: string) {
  const { process, problems } = await diagram(name);
  expect(problems).toEqual([]);
  return process;
}

/** The engine matched a message to the open wait of `elementId`. */
function correlate(s: Scenario, elementId: string, variables: Variables = {}, messageKey = 'm-1') {
  const wait = Object.values(s.state.waits ?? {}).find((w) => w.elementId === elementId && w.type === 'message');
  if (!wait) throw new Error(`nothing waits for a message at ${elementId}`);
  return s.run({ type: 'CORRELATE_MESSAGE', subscriptionId: wait.id, messageKey, variables });
}

describe('message catch event', () => {
  it('subscribes to its message with the correlation key evaluated on arrival, and waits', async () => {
    const s = scenario(await definition('catch-reply.bpmn')).start({ orderId: 'o-1' });
    expect(s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION').map((e) => e.subscription)).toMatchObject([
      { elementId: 'wait-reply', messageName: 'customer-reply', correlationKey: 'o-1', interrupting: true },
    ]);
    expect(s.state.status).toBe('ACTIVE');
    expect(s.auditTypes()).toContain('MESSAGE_SUBSCRIPTION_OPENED');
  });

  it('a correlated message completes it; its output mapping reads the message\'s variables', async () => {
    const s = scenario(await definition('catch-reply.bpmn')).start({ orderId: 'o-1' });
    correlate(s, 'wait-reply', { answer: 'yes' });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.rootVariables()).toEqual({ orderId: 'o-1', reply: 'yes' });
    expect(s.effectsOf('CLOSE_MESSAGE_SUBSCRIPTION')).toMatchObject([{ state: 'CORRELATED', messageKey: 'm-1' }]);
    expect(s.audits().find((a) => a.type === 'MESSAGE_CORRELATED')?.payload).toMatchObject({ messageKey: 'm-1', correlationKey: 'o-1', variables: { answer: 'yes' } });
  });

  it('a message name and correlation key in FEEL are evaluated against the instance\'s variables', async () => {
    const s = scenario(await definition('dynamic-message.bpmn')).start({ channel: 'mail', customer: { id: 42 } });
    // a number key is matched by its decimal text, as in Camunda 8
    expect(s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION')[0].subscription).toMatchObject({ messageName: 'reply-mail', correlationKey: '42' });
  });

  it.each([
    [{ channel: 'mail' }, /Correlation key of 'wait-reply'/],
    [{ channel: 'mail', customer: { id: { nested: true } } }, /Correlation key of 'wait-reply' must be a string or a number/],
    [{ customer: { id: 1 } }, /Message name of 'wait-reply'/],
    [{ channel: 'mail', customer: { id: 'k'.repeat(801) } }, /Correlation key of 'wait-reply' is longer than 800 bytes/],
  ])('a name or key that does not evaluate to text is an incident on the catch event (%j)', async (variables, message) => {
    const s = scenario(await definition('dynamic-message.bpmn')).start(variables);
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'wait-reply' });
    expect(s.incident().message).toMatch(message);
    expect(s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION')).toEqual([]);
  });

  it('resolving that incident evaluates again, and subscribes once the expression works', async () => {
    const s = scenario(await definition('dynamic-message.bpmn')).start({ channel: 'mail' });
    // an operator fixes the variable (the state as the variables API would leave it), then resolves
    s.state.elements[s.state.id].variables!.customer = { id: 'c-7' };
    s.resolve();
    expect(s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION')[0].subscription).toMatchObject({ messageName: 'reply-mail', correlationKey: 'c-7' });
    expect(s.state.incidents).toEqual({});
  });
});

describe('receive task with message boundary events', () => {
  it('opens its own subscription and its boundary events\' together', async () => {
    const s = scenario(await definition('receive-with-boundaries.bpmn')).start({ orderId: 'o-1' });
    const opened = s.effectsOf('OPEN_MESSAGE_SUBSCRIPTION').map((e) => e.subscription);
    expect(opened.map((o) => [o.elementId, o.messageName, o.correlationKey, o.interrupting]).sort()).toEqual([
      ['await-payment', 'payment', 'o-1', true],
      ['cancel-request', 'cancel-request', 'o-1', true],
      ['reminder', 'reminder', 'o-1', false],
    ]);
  });

  it('its message completes it with the message\'s variables and closes the boundary events\' subscriptions', async () => {
    const s = scenario(await definition('receive-with-boundaries.bpmn')).start({ orderId: 'o-1' });
    correlate(s, 'await-payment', { paid: 30 });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.rootVariables()).toMatchObject({ paid: 30 });
    expect(s.effectsOf('CLOSE_MESSAGE_SUBSCRIPTION').map((c) => c.state).sort()).toEqual(['CLOSED', 'CLOSED', 'CORRELATED']);
    expect(s.state.waits).toEqual({});
  });

  it('a non-interrupting boundary message starts a path beside it each time, the task still waiting', async () => {
    const s = scenario(await definition('receive-with-boundaries.bpmn')).start({ orderId: 'o-1' });
    correlate(s, 'reminder', { reminder: 1 }, 'm-1');
    correlate(s, 'reminder', { reminder: 2 }, 'm-2');
    expect(s.instanceOf('await-payment').state).toBe('ACTIVE');
    expect(Object.values(s.state.elements).filter((e) => e.elementId === 'send-reminder')).toHaveLength(2);
    expect(s.rootVariables()).toMatchObject({ reminder: 2 });
    expect(Object.values(s.state.waits ?? {}).map((w) => w.elementId).sort()).toEqual(['await-payment', 'cancel-request', 'reminder']);
  });

  it('once the task has its message, a late message for a boundary event it held is refused', async () => {
    // given a reminder's path still running beside the task, so the instance stays active
    const s = scenario(await definition('receive-with-boundaries.bpmn')).start({ orderId: 'o-1' });
    correlate(s, 'reminder');
    const cancel = Object.values(s.state.waits!).find((w) => w.elementId === 'cancel-request')!;
    // when the payment arrives first
    correlate(s, 'await-payment');
    // then the cancel request that raced it finds nothing open (the engine then tries another subscription)
    expect(s.state.status).toBe('ACTIVE');
    expect(s.rejected({ type: 'CORRELATE_MESSAGE', subscriptionId: cancel.id, messageKey: 'm-9', variables: {} }).code).toBe('SUBSCRIPTION_NOT_OPEN');
  });

  it('an interrupting boundary message ends the task and closes every subscription it held', async () => {
    const s = scenario(await definition('receive-with-boundaries.bpmn')).start({ orderId: 'o-1' });
    correlate(s, 'cancel-request', { reason: 'changed my mind' });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.activated()).toContain('canceled');
    expect(s.activated()).not.toContain('paid');
    expect(s.rootVariables()).toMatchObject({ reason: 'changed my mind' });
    expect(s.state.waits).toEqual({});
  });
});

describe('message start event', () => {
  it('an instance started at it begins there, with the message\'s variables', async () => {
    const s = scenario(await definition('message-start.bpmn')).start({ orderId: 'o-1', total: 12 }, 'placed');
    expect(s.activated().slice(0, 2)).toEqual(['message-start', 'placed']);
    expect(s.activated()).not.toContain('by-hand');
    expect(s.rootVariables()).toEqual({ orderId: 'o-1', total: 12 });
    expect(s.effectsOf('CREATE_JOB')).toMatchObject([{ job: { elementId: 'handle', type: 'handle-order' } }]);
  });

  it('a plain start begins at the none start event beside it', async () => {
    const s = scenario(await definition('message-start.bpmn')).start({});
    expect(s.activated()).toContain('by-hand');
    expect(s.activated()).not.toContain('placed');
  });

  it('two message start events for one message name are refused at deploy', async () => {
    const { problems } = await diagram('duplicate-message-start.bpmn');
    expect(problems).toMatchObject([{ elementId: 'from-phone', field: 'bpmn:Message.name', message: expect.stringContaining("both wait for the message 'order-placed'") }]);
  });
});
