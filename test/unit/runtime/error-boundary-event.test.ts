import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { scenario } from './scenario.js';

/** start → work → end, with error boundary events on `work` */
function guarded(boundaries: { id: string; errorCode?: string }[]) {
  const b = model('p').add('start', 'startEvent').add('work', 'serviceTask').add('end', 'endEvent').chain('start', 'work', 'end');
  for (const { id, errorCode } of boundaries) {
    b.add(id, 'errorBoundaryEvent', { attachedTo: 'work', ...(errorCode ? { errorCode } : {}) }).add(`${id}-end`, 'endEvent').flow(id, `${id}-end`);
  }
  return b.build();
}

describe('runtime: error boundary event', () => {
  it('catches a matching error thrown by the job: terminates the task and leaves by the boundary event', () => {
    // given
    const s = scenario(guarded([{ id: 'rejected', errorCode: 'REJECTED' }])).start();
    const jobKey = s.jobKey('work');
    // when
    s.run({ type: 'THROW_ERROR', jobKey, errorCode: 'REJECTED', errorMessage: 'no', variables: { reason: 'policy' } });
    // then
    expect(s.state.status).toBe('COMPLETED');
    expect(s.rootVariables()).toEqual({ reason: 'policy' });
    expect(s.effectsOf('FINISH_JOB')).toEqual([{ type: 'FINISH_JOB', jobKey, state: 'ERROR_THROWN', errorMessage: 'no' }]);
    expect(s.effectsOf('OPEN_INCIDENT')).toEqual([]);
    expect(s.trace()).toEqual(expect.arrayContaining(['ELEMENT_TERMINATED work', 'ERROR_CAUGHT rejected', 'ELEMENT_ACTIVATED rejected', 'ELEMENT_COMPLETED rejected', 'ELEMENT_ACTIVATED rejected-end']));
    expect(s.activated()).not.toContain('end');
  });

  it('prefers the boundary event with the exact code over a catch-all', () => {
    const s = scenario(guarded([{ id: 'any' }, { id: 'exact', errorCode: 'E1' }])).start();
    s.run({ type: 'THROW_ERROR', jobKey: s.jobKey('work'), errorCode: 'E1', variables: {} });
    expect(s.activated()).toContain('exact');
    expect(s.activated()).not.toContain('any');
  });

  it('lets a catch-all take any code', () => {
    const s = scenario(guarded([{ id: 'any' }, { id: 'exact', errorCode: 'E1' }])).start();
    s.run({ type: 'THROW_ERROR', jobKey: s.jobKey('work'), errorCode: 'OTHER', variables: {} });
    expect(s.activated()).toContain('any');
  });

  it('opens an incident when no boundary event matches the code', () => {
    const s = scenario(guarded([{ id: 'rejected', errorCode: 'REJECTED' }])).start();
    s.run({ type: 'THROW_ERROR', jobKey: s.jobKey('work'), errorCode: 'OTHER', variables: {} });
    expect(s.incident()).toMatchObject({ type: 'UNHANDLED_BPMN_ERROR', elementId: 'work' });
    expect(liveElements(s.state)).toEqual(['work']);
  });

  it('is caught by a boundary event on an enclosing sub-process, terminating everything inside', () => {
    // given: start → sub(start → [work ∥ other] ) → end; boundary `failed` on sub
    const definition = model('p')
      .add('start', 'startEvent')
      .add('sub', 'subProcess')
      .add('end', 'endEvent')
      .add('s-start', 'startEvent', { parent: 'sub' })
      .add('fork', 'parallelGateway', { parent: 'sub' })
      .add('work', 'serviceTask', { parent: 'sub' })
      .add('other', 'userTask', { parent: 'sub' })
      .add('failed', 'errorBoundaryEvent', { attachedTo: 'sub', errorCode: 'E' })
      .add('failed-end', 'endEvent')
      .chain('start', 'sub', 'end')
      .chain('s-start', 'fork', 'work')
      .flow('fork', 'other')
      .flow('failed', 'failed-end')
      .build();
    const s = scenario(definition).start();
    const taskId = s.taskId('other');
    // when
    s.run({ type: 'THROW_ERROR', jobKey: s.jobKey('work'), errorCode: 'E', variables: {} });
    // then
    expect(s.state.status).toBe('COMPLETED');
    expect(s.effectsOf('FINISH_TASK')).toEqual([{ type: 'FINISH_TASK', taskId, state: 'CANCELED' }]);
    expect(s.trace()).toEqual(expect.arrayContaining(['ELEMENT_TERMINATED other', 'ELEMENT_TERMINATED sub', 'ELEMENT_ACTIVATED failed']));
    expect(s.activated()).not.toContain('end');
  });
});
