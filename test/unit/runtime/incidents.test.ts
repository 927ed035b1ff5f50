import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';
import { STEP_BUDGET } from '../../../engine/runtime/run.js';

describe('runtime: incidents', () => {
  function failing() {
    return model('p')
      .add('start', 'startEvent')
      .add('calc', 'scriptTask', { expression: 'missing + 1', resultVariable: 'r' })
      .add('end', 'endEvent')
      .chain('start', 'calc', 'end')
      .build();
  }

  it('records the incident on the element instance it holds', () => {
    // when
    const s = scenario(failing()).start();
    // then
    const incident = s.incident();
    const instance = s.instanceOf('calc');
    expect(incident).toEqual({ id: 'id-1', type: 'EXPRESSION_FAILED', message: expect.any(String), elementId: 'calc', elementInstanceKey: instance.key, retry: 'activate' });
    expect(instance.incidentId).toBe('id-1');
    expect(s.audits().at(-1)).toEqual({
      type: 'INCIDENT_OPENED',
      elementId: 'calc',
      elementInstanceKey: instance.key,
      payload: { incidentId: 'id-1', incidentType: 'EXPRESSION_FAILED', message: incident.message },
    });
    expect(s.state.status).toBe('ACTIVE');
  });

  it('rejects resolving an incident that is not open', () => {
    // given
    const s = scenario(failing()).start();
    const id = s.incident().id;
    s.resolve(id); // opens a new one: the expression still fails
    // when
    const unknown = s.rejected({ type: 'RESOLVE_INCIDENT', incidentId: 'no-such-incident' });
    const again = s.rejected({ type: 'RESOLVE_INCIDENT', incidentId: id });
    // then
    expect(unknown.code).toBe('INCIDENT_NOT_OPEN');
    expect(again.code).toBe('INCIDENT_NOT_OPEN');
  });

  it('opens a CONDITION_FAILED incident when an outgoing condition of an activity fails, and re-takes the flows when resolved', () => {
    // given a service task with a conditional outgoing flow
    const definition = model('p')
      .add('start', 'startEvent')
      .add('work', 'serviceTask')
      .add('yes', 'userTask')
      .add('always', 'userTask')
      .flow('start', 'work')
      .flow('work', 'yes', { condition: 'approved' })
      .flow('work', 'always')
      .build();
    const s = scenario(definition).start();
    // when the job completes without `approved`
    s.completeJob('work', { other: 1 });
    // then
    expect(s.incident()).toMatchObject({ type: 'CONDITION_FAILED', elementId: 'work', retry: 'complete' });
    expect(s.instanceOf('work').state).toBe('COMPLETING');
    expect(s.rootVariables()).toEqual({ other: 1 });

    // when the variable is set and the incident resolved
    s.state.elements[INSTANCE_ID].variables!.approved = true;
    s.resolve();
    // then both flows are taken
    expect(s.state.incidents).toEqual({});
    expect(liveElements(s.state)).toEqual(['always', 'yes']);
  });

  describe('a loop without a wait state', () => {
    /** start → calc → again (exclusive) → calc … forever */
    function endless() {
      return model('p')
        .add('start', 'startEvent')
        .add('calc', 'scriptTask', { expression: 'n + 1', resultVariable: 'n' })
        .add('again', 'exclusiveGateway')
        .add('end', 'endEvent')
        .chain('start', 'calc', 'again')
        .flow('again', 'calc', { condition: 'true' })
        .flow('again', 'end', { default: true })
        .build();
    }

    it('opens a LOOP_LIMIT incident instead of running forever or throwing', () => {
      // when
      const s = scenario(endless()).start({ n: 0 });
      // then
      expect(s.incident()).toMatchObject({ type: 'LOOP_LIMIT', retry: 'activate' });
      expect(s.state.status).toBe('ACTIVE');
      expect(liveElements(s.state)).toHaveLength(1);
      expect(s.effectTypes()).toEqual(['OPEN_INCIDENT']);
      // the variable counted the rounds that ran before the limit
      expect(s.rootVariables().n).toBeGreaterThan(STEP_BUDGET / 3);
    });

    it('opens a new LOOP_LIMIT incident when resolved, without throwing', () => {
      // given
      const s = scenario(endless()).start({ n: 0 });
      const first = s.incident().id;
      // when
      s.resolve();
      // then
      expect(s.incident()).toMatchObject({ type: 'LOOP_LIMIT' });
      expect(s.incident().id).not.toBe(first);
      expect(liveElements(s.state)).toHaveLength(1);
    });

    it('does not stop a loop that ends on its own', () => {
      // given a loop of 100 rounds
      const definition = model('p')
        .add('start', 'startEvent')
        .add('calc', 'scriptTask', { expression: 'n + 1', resultVariable: 'n' })
        .add('again', 'exclusiveGateway')
        .add('end', 'endEvent')
        .chain('start', 'calc', 'again')
        .flow('again', 'calc', { condition: 'n < 100' })
        .flow('again', 'end', { default: true })
        .build();
      // when
      const s = scenario(definition).start({ n: 0 });
      // then
      expect(s.state.incidents).toEqual({});
      expect(s.state.status).toBe('COMPLETED');
      expect(s.rootVariables().n).toBe(100);
    });
  });
});
