import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { scenario } from './scenario.js';

/** start → fork → (a | b) → join → after → end */
function forkJoin() {
  return model('p')
    .add('start', 'startEvent')
    .add('fork', 'parallelGateway')
    .add('a', 'serviceTask', { jobType: { value: 'a' } })
    .add('b', 'serviceTask', { jobType: { value: 'b' } })
    .add('join', 'parallelGateway')
    .add('after', 'serviceTask', { jobType: { value: 'after' } })
    .add('end', 'endEvent')
    .chain('start', 'fork', 'a', 'join', 'after', 'end')
    .chain('fork', 'b', 'join')
    .build();
}

describe('runtime: parallel gateway', () => {
  it('forks a token onto every outgoing flow', () => {
    // when
    const s = scenario(forkJoin()).start();
    // then
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['a', 'b']);
    expect(liveElements(s.state)).toEqual(['a', 'b']);
  });

  it('ignores conditions on the outgoing flows of a fork', () => {
    // given
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('a', 'serviceTask')
      .add('b', 'serviceTask')
      .chain('start', 'fork')
      .flow('fork', 'a', { condition: 'false' })
      .flow('fork', 'b')
      .build();
    // when
    const s = scenario(definition).start();
    // then
    expect(liveElements(s.state)).toEqual(['a', 'b']);
  });

  it('waits at the join until every incoming flow has a token', () => {
    // given
    const s = scenario(forkJoin()).start();
    // when one branch completes
    s.completeJob('a');
    // then
    expect(s.activated()).toEqual([]);
    expect(liveElements(s.state)).toEqual(['b']);
    expect(s.state.elements['pi-1'].joins).toEqual({ join: { f3_a_join: 1 } });
    expect(s.state.status).toBe('ACTIVE');

    // when the other branch completes
    s.completeJob('b');
    // then the join fires once and its successor is activated once
    expect(s.activated()).toEqual(['join', 'after']);
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['after']);
    expect(s.state.elements['pi-1'].joins).toBeUndefined();
    expect(liveElements(s.state)).toEqual(['after']);

    // when
    s.completeJob('after');
    // then
    expect(s.state.status).toBe('COMPLETED');
  });

  it('fires the join once when both branches arrive in the same step', () => {
    // given branches without wait states
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('x', 'task')
      .add('y', 'manualTask')
      .add('join', 'parallelGateway')
      .add('after', 'serviceTask')
      .add('end', 'endEvent')
      .chain('start', 'fork', 'x', 'join', 'after', 'end')
      .chain('fork', 'y', 'join')
      .build();
    // when
    const s = scenario(definition).start();
    // then
    expect(s.activated().filter((id) => id === 'join')).toHaveLength(1);
    expect(liveElements(s.state)).toEqual(['after']);
  });

  it('runs two joins in sequence', () => {
    // given fork → a, b, c; a + b → join1; join1 + c → join2 → after
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('a', 'serviceTask', { jobType: { value: 'a' } })
      .add('b', 'serviceTask', { jobType: { value: 'b' } })
      .add('c', 'serviceTask', { jobType: { value: 'c' } })
      .add('join1', 'parallelGateway')
      .add('join2', 'parallelGateway')
      .add('after', 'serviceTask', { jobType: { value: 'after' } })
      .add('end', 'endEvent')
      .chain('start', 'fork', 'a', 'join1', 'join2', 'after', 'end')
      .chain('fork', 'b', 'join1')
      .chain('fork', 'c', 'join2')
      .build();
    const s = scenario(definition).start();
    // when
    s.completeJob('a');
    s.completeJob('c');
    // then
    expect(s.activated()).toEqual([]);
    expect(liveElements(s.state)).toEqual(['b']);

    // when
    s.completeJob('b');
    // then
    expect(s.activated()).toEqual(['join1', 'join2', 'after']);
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['after']);

    // when
    s.completeJob('after');
    // then
    expect(s.state.status).toBe('COMPLETED');
  });
});
