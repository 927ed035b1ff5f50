import { describe, expect, it } from 'vitest';
import { model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

/** start → calc (script task) → next (service task) → end */
function calc(expression: string) {
  return model('p')
    .add('start', 'startEvent')
    .add('calc', 'scriptTask', { expression, resultVariable: 'total' })
    .add('next', 'serviceTask')
    .add('end', 'endEvent')
    .chain('start', 'calc', 'next', 'end')
    .build();
}

describe('runtime: script task', () => {
  it('sets the result variable and continues in the same step', () => {
    // when
    const s = scenario(calc('sum(items) * 2')).start({ items: [1, 2, 3] });
    // then
    expect(s.rootVariables()).toEqual({ items: [1, 2, 3], total: 12 });
    const at = s.trace().indexOf('ELEMENT_ACTIVATED calc');
    expect(s.trace().slice(at, at + 4)).toEqual(['ELEMENT_ACTIVATED calc', 'VARIABLES_SET', 'ELEMENT_COMPLETED calc', 'FLOW_TAKEN f2_calc_next']);
    expect(s.audits()[at + 1]).toMatchObject({ type: 'VARIABLES_SET', elementInstanceKey: INSTANCE_ID, payload: { variables: { total: 12 } } });
    expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ items: [1, 2, 3], total: 12 });
  });

  it('evaluates string literals over several lines, also inside the time bound (a script that iterates)', () => {
    // when
    const s = scenario(calc('string join(for name in names return "Dear " + name + ",\nwelcome.", "\n")')).start({ names: ['Ada', 'Bob'] });
    // then
    expect(s.state.incidents).toEqual({});
    expect(s.rootVariables().total).toBe('Dear Ada,\nwelcome.\nDear Bob,\nwelcome.');
  });

  it('stores FEEL contexts and lists as plain JSON', () => {
    // when
    const s = scenario(calc('{ name: upper case(name), tags: ["a", "b"] }')).start({ name: 'ada' });
    // then
    expect(s.rootVariables().total).toEqual({ name: 'ADA', tags: ['a', 'b'] });
  });

  it('opens an EXPRESSION_FAILED incident when the script calls an unknown function', () => {
    // when
    const s = scenario(calc('no such function(1)')).start();
    // then
    expect(s.effectTypes()).toEqual(['OPEN_INCIDENT']);
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'calc', retry: 'activate' });
    expect(s.instanceOf('calc')).toMatchObject({ state: 'ACTIVE', incidentId: s.incident().id });
    expect(s.rootVariables()).toEqual({});
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);
  });

  it('opens an incident when a missing variable makes the result null', () => {
    // when
    const s = scenario(calc('price * quantity')).start({ quantity: 2 });
    // then
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', message: expect.stringContaining("'price'") });
    expect(s.rootVariables()).toEqual({ quantity: 2 });
  });

  it('opens a new incident when resolved while the expression still fails', () => {
    // given
    const s = scenario(calc('price * quantity')).start({ quantity: 2 });
    const first = s.incident();
    // when
    s.resolve(first.id);
    // then
    expect(s.effectTypes()).toEqual(['RESOLVE_INCIDENT', 'OPEN_INCIDENT']);
    const second = s.incident();
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'calc', elementInstanceKey: first.elementInstanceKey });
    expect(s.auditTypes()).toEqual(['INCIDENT_RESOLVED', 'INCIDENT_OPENED']);
  });

  it('completes when resolved after the missing variable was provided', () => {
    // given
    const s = scenario(calc('price * quantity')).start({ quantity: 2 });
    // an operator sets the variable (the service layer writes it into the state)
    s.state.elements[INSTANCE_ID].variables!.price = 5;
    // when
    s.resolve();
    // then
    expect(s.state.incidents).toEqual({});
    expect(s.rootVariables().total).toBe(10);
    expect(s.effectsOf('CREATE_JOB')).toHaveLength(1);
  });
});
