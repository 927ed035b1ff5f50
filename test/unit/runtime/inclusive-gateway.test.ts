import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { scenario } from './scenario.js';

/**
 * start → fork ─(a)→ A ─┐
 *               ─(b)→ B ─┼→ join → after → end
 *               ─(c)→ C ─┘
 *               ─(default)→ D → end
 */
function forkJoin(kinds: { B?: 'serviceTask' | 'userTask' } = {}) {
  return model('p')
    .add('start', 'startEvent')
    .add('fork', 'inclusiveGateway')
    .add('A', 'serviceTask', { jobType: { value: 'A' } })
    .add('B', kinds.B ?? 'serviceTask', kinds.B === 'userTask' ? {} : { jobType: { value: 'B' } })
    .add('C', 'serviceTask', { jobType: { value: 'C' } })
    .add('D', 'serviceTask', { jobType: { value: 'D' } })
    .add('join', 'inclusiveGateway')
    .add('after', 'serviceTask', { jobType: { value: 'after' } })
    .add('end', 'endEvent')
    .add('endD', 'endEvent')
    .flow('start', 'fork')
    .flow('fork', 'A', { condition: 'a' })
    .flow('fork', 'B', { condition: 'b' })
    .flow('fork', 'C', { condition: 'c' })
    .flow('fork', 'D', { default: true })
    .chain('A', 'join')
    .chain('B', 'join')
    .chain('C', 'join')
    .chain('join', 'after', 'end')
    .chain('D', 'endD')
    .build();
}

const joinActivations = (activated: string[]) => activated.filter((id) => id === 'join').length;

describe('runtime: inclusive gateway', () => {
  it('forks onto every flow whose condition holds', () => {
    // when
    const s = scenario(forkJoin()).start({ a: true, b: true, c: false });
    // then
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['A', 'B']);
    expect(liveElements(s.state)).toEqual(['A', 'B']);
  });

  it('takes the default flow when no condition holds', () => {
    // when
    const s = scenario(forkJoin()).start({ a: false, b: false, c: false });
    // then
    expect(liveElements(s.state)).toEqual(['D']);
  });

  it('opens a CONDITION_FAILED incident when no condition holds and there is no default', () => {
    // given
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'inclusiveGateway')
      .add('A', 'serviceTask')
      .flow('start', 'fork')
      .flow('fork', 'A', { condition: 'a' })
      .build();
    // when
    const s = scenario(definition).start({ a: false });
    // then
    expect(s.incident()).toMatchObject({ type: 'CONDITION_FAILED', elementId: 'fork', retry: 'activate' });
    expect(liveElements(s.state)).toEqual(['fork']);
  });

  it('opens a CONDITION_FAILED incident when a condition is not boolean', () => {
    // when
    const s = scenario(forkJoin()).start({ a: 'yes', b: true, c: false });
    // then
    expect(s.incident()).toMatchObject({ type: 'CONDITION_FAILED', elementId: 'fork' });
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);
  });

  it.each([
    ['A then B', 'A', 'B'],
    ['B then A', 'B', 'A'],
  ])('joins only the branches that were taken (%s)', (_order, first, second) => {
    // given a and b hold, c does not
    const s = scenario(forkJoin()).start({ a: true, b: true, c: false });
    // when the first taken branch arrives
    s.completeJob(first);
    // then the join waits for the other taken branch
    expect(s.activated()).toEqual([]);
    expect(s.state.elements['pi-1'].joins?.join).toBeDefined();
    expect(liveElements(s.state)).toEqual([second]);

    // when the second one arrives
    s.completeJob(second);
    // then the join fires once, without waiting for the branch that was not taken
    expect(s.activated()).toEqual(['join', 'after']);
    expect(s.state.elements['pi-1'].joins).toBeUndefined();
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['after']);

    // when
    s.completeJob('after');
    // then
    expect(s.state.status).toBe('COMPLETED');
  });

  it('fires at once when only one branch was taken', () => {
    // given
    const s = scenario(forkJoin()).start({ a: false, b: false, c: true });
    // when
    s.completeJob('C');
    // then
    expect(s.activated()).toEqual(['join', 'after']);
  });

  it('does not fire while a taken branch still waits in a user task', () => {
    // given B is a user task
    const s = scenario(forkJoin({ B: 'userTask' })).start({ a: true, b: true, c: false });
    // when
    s.completeJob('A');
    // then
    expect(joinActivations(s.activated())).toBe(0);
    expect(liveElements(s.state)).toEqual(['B']);

    // when
    s.completeTask('B');
    // then
    expect(s.activated()).toEqual(['join', 'after']);
  });

  it('does not fire while a token is further up a taken branch', () => {
    // given branch a has two tasks in a row
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'inclusiveGateway')
      .add('A1', 'serviceTask')
      .add('A2', 'serviceTask')
      .add('B', 'serviceTask')
      .add('join', 'inclusiveGateway')
      .add('end', 'endEvent')
      .flow('start', 'fork')
      .flow('fork', 'A1', { condition: 'true' })
      .flow('fork', 'B', { condition: 'true' })
      .chain('A1', 'A2', 'join')
      .chain('B', 'join', 'end')
      .build();
    const s = scenario(definition).start();
    s.completeJob('B');
    // when
    s.completeJob('A1');
    // then
    expect(joinActivations(s.activated())).toBe(0);
    expect(liveElements(s.state)).toEqual(['A2']);

    // when
    s.completeJob('A2');
    // then
    expect(joinActivations(s.activated())).toBe(1);
    expect(s.state.status).toBe('COMPLETED');
  });

  it('fires once when the taken branches arrive in the same step', () => {
    // given branches without wait states
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'inclusiveGateway')
      .add('x', 'task')
      .add('y', 'task')
      .add('z', 'task')
      .add('join', 'inclusiveGateway')
      .add('after', 'serviceTask')
      .flow('start', 'fork')
      .flow('fork', 'x', { condition: 'true' })
      .flow('fork', 'y', { condition: 'true' })
      .flow('fork', 'z', { condition: 'false' })
      .chain('x', 'join')
      .chain('y', 'join')
      .chain('z', 'join')
      .chain('join', 'after')
      .build();
    // when
    const s = scenario(definition).start();
    // then
    expect(joinActivations(s.activated())).toBe(1);
    expect(liveElements(s.state)).toEqual(['after']);
  });

  it('handles an inclusive fork and join nested inside another', () => {
    /*
     * start → outer ─(x)→ X → inner ─(p)→ P ─┐
     *                                ─(q)→ Q ─┴→ innerJoin → Y ─┐
     *              ─(z)→ Z ───────────────────────────────────────┼→ outerJoin → after
     *              ─(w)→ W ───────────────────────────────────────┘
     */
    const definition = model('p')
      .add('start', 'startEvent')
      .add('outer', 'inclusiveGateway')
      .add('X', 'task')
      .add('inner', 'inclusiveGateway')
      .add('P', 'serviceTask', { jobType: { value: 'P' } })
      .add('Q', 'serviceTask', { jobType: { value: 'Q' } })
      .add('innerJoin', 'inclusiveGateway')
      .add('Y', 'task')
      .add('Z', 'serviceTask', { jobType: { value: 'Z' } })
      .add('W', 'serviceTask', { jobType: { value: 'W' } })
      .add('outerJoin', 'inclusiveGateway')
      .add('after', 'serviceTask', { jobType: { value: 'after' } })
      .flow('start', 'outer')
      .flow('outer', 'X', { condition: 'x' })
      .flow('outer', 'Z', { condition: 'z' })
      .flow('outer', 'W', { condition: 'w' })
      .flow('X', 'inner')
      .flow('inner', 'P', { condition: 'p' })
      .flow('inner', 'Q', { condition: 'q' })
      .chain('P', 'innerJoin')
      .chain('Q', 'innerJoin')
      .chain('innerJoin', 'Y', 'outerJoin')
      .chain('Z', 'outerJoin')
      .chain('W', 'outerJoin')
      .chain('outerJoin', 'after')
      .build();
    // given x, z, p, q hold; w does not
    const s = scenario(definition).start({ x: true, z: true, w: false, p: true, q: true });
    expect(liveElements(s.state)).toEqual(['P', 'Q', 'Z']);

    // when the outer branch without nesting arrives
    s.completeJob('Z');
    // then
    expect(s.activated()).toEqual([]);

    // when one inner branch arrives
    s.completeJob('P');
    // then neither join fires: Q is still upstream of both
    expect(s.activated()).toEqual([]);
    expect(Object.keys(s.state.elements['pi-1'].joins ?? {}).sort()).toEqual(['innerJoin', 'outerJoin']);

    // when the last inner branch arrives
    s.completeJob('Q');
    // then the inner join fires, then the outer join, each once
    expect(s.activated()).toEqual(['innerJoin', 'Y', 'outerJoin', 'after']);
    expect(s.state.elements['pi-1'].joins).toBeUndefined();
  });

  it('lets the outer join wait for an inner join that still has arrivals', () => {
    // given the same shape with only p taken inside: when P arrives the inner join must fire before the outer
    const definition = model('p')
      .add('start', 'startEvent')
      .add('outer', 'inclusiveGateway')
      .add('inner', 'inclusiveGateway')
      .add('P', 'serviceTask')
      .add('Q', 'serviceTask')
      .add('innerJoin', 'inclusiveGateway')
      .add('Z', 'serviceTask')
      .add('outerJoin', 'inclusiveGateway')
      .add('after', 'serviceTask')
      .flow('start', 'outer')
      .flow('outer', 'Z', { condition: 'true' })
      .flow('outer', 'inner', { condition: 'true' })
      .flow('inner', 'P', { condition: 'true' })
      .flow('inner', 'Q', { condition: 'false' })
      .chain('P', 'innerJoin')
      .chain('Q', 'innerJoin')
      .chain('innerJoin', 'outerJoin')
      .chain('Z', 'outerJoin')
      .chain('outerJoin', 'after')
      .build();
    const s = scenario(definition).start();
    s.completeJob('Z');
    // when
    s.completeJob('P');
    // then
    expect(s.activated()).toEqual(['innerJoin', 'outerJoin', 'after']);
  });
});
