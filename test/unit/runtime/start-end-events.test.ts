import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

describe('runtime: start and end events, pass-through tasks', () => {
  it('runs start → end to completion in one step', () => {
    // given
    const definition = model('p').add('start', 'startEvent').add('end', 'endEvent').flow('start', 'end', { id: 'f1' }).build();
    // when
    const s = scenario(definition).start();
    // then
    expect(s.state.status).toBe('COMPLETED');
    expect(s.state.elements[INSTANCE_ID].state).toBe('COMPLETED');
    expect(liveElements(s.state)).toEqual([]);
    expect(s.trace()).toEqual([
      'INSTANCE_CREATED p',
      'ELEMENT_ACTIVATED p',
      'ELEMENT_ACTIVATED start',
      'ELEMENT_COMPLETED start',
      'FLOW_TAKEN f1',
      'ELEMENT_ACTIVATED end',
      'ELEMENT_COMPLETED end',
      'ELEMENT_COMPLETED p',
      'INSTANCE_COMPLETED',
    ]);
    expect(s.effectTypes()).toEqual(['INSTANCE_ENDED']);
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([{ type: 'INSTANCE_ENDED', status: 'COMPLETED' }]);
  });

  it('records the instance creation with process id, version and actor', () => {
    // given
    const definition = model('order').add('start', 'startEvent').add('end', 'endEvent').chain('start', 'end').build();
    // when
    const s = scenario(definition).start();
    // then
    expect(s.audits()[0]).toEqual({
      type: 'INSTANCE_CREATED',
      elementId: 'order',
      elementInstanceKey: INSTANCE_ID,
      payload: { processId: 'order', version: 1, businessKey: null, actor: 'test' },
    });
    expect(s.state).toMatchObject({ id: INSTANCE_ID, processId: 'order', version: 1, definitionKey: 'def-1' });
  });

  it('sets the start variables on the root scope', () => {
    // given
    const definition = model('p').add('start', 'startEvent').add('end', 'endEvent').chain('start', 'end').build();
    // when
    const s = scenario(definition).start({ orderId: 'o-1', total: 12.5 });
    // then
    expect(s.rootVariables()).toEqual({ orderId: 'o-1', total: 12.5 });
    expect(s.audits().find((e) => e.type === 'VARIABLES_SET')).toEqual({
      type: 'VARIABLES_SET',
      elementInstanceKey: INSTANCE_ID,
      payload: { variables: { orderId: 'o-1', total: 12.5 } },
    });
  });

  it('passes the token through a task and a manual task', () => {
    // given
    const definition = model('p')
      .add('start', 'startEvent')
      .add('plain', 'task')
      .add('manual', 'manualTask')
      .add('end', 'endEvent')
      .chain('start', 'plain', 'manual', 'end')
      .build();
    // when
    const s = scenario(definition).start();
    // then
    expect(s.state.status).toBe('COMPLETED');
    expect(s.trace().filter((t) => t.startsWith('ELEMENT_'))).toEqual([
      'ELEMENT_ACTIVATED p',
      'ELEMENT_ACTIVATED start',
      'ELEMENT_COMPLETED start',
      'ELEMENT_ACTIVATED plain',
      'ELEMENT_COMPLETED plain',
      'ELEMENT_ACTIVATED manual',
      'ELEMENT_COMPLETED manual',
      'ELEMENT_ACTIVATED end',
      'ELEMENT_COMPLETED end',
      'ELEMENT_COMPLETED p',
    ]);
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([{ type: 'INSTANCE_ENDED', status: 'COMPLETED' }]);
  });

  it('keeps the instance active while another token still waits', () => {
    // given a fork whose one branch ends at once and whose other waits on a job
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('quick', 'endEvent')
      .add('work', 'serviceTask')
      .add('end', 'endEvent')
      .chain('start', 'fork', 'quick')
      .chain('fork', 'work', 'end')
      .build();
    // when
    const s = scenario(definition).start();
    // then
    expect(s.state.status).toBe('ACTIVE');
    expect(liveElements(s.state)).toEqual(['work']);
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([]);

    // when the last token ends
    s.completeJob('work');
    // then
    expect(s.state.status).toBe('COMPLETED');
    expect(s.effectsOf('INSTANCE_ENDED')).toEqual([{ type: 'INSTANCE_ENDED', status: 'COMPLETED' }]);
  });

  it('gives element instances deterministic keys', () => {
    // given
    const definition = model('p').add('start', 'startEvent').add('work', 'serviceTask').add('end', 'endEvent').chain('start', 'work', 'end').build();
    // when
    const s = scenario(definition).start();
    // then start event got key 1, the service task key 2
    expect(s.instanceOf('work').key).toBe('2');
    expect(s.state.nextKey).toBe(3);
  });
});
