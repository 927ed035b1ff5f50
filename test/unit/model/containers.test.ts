import { describe, expect, it } from 'vitest';
import { compileOne, fixture } from './bpmn.js';

describe('compile: inclusive gateway upstream sets', () => {
  it('lists, per incoming flow, every element a token could still come from without passing the join', async () => {
    // given an inclusive fork/join with an extra path through X and a loop back through Y
    const process = await compileOne(fixture('inclusive-join-extra-path.bpmn'));
    // when
    const join = process.elements.join;
    // then
    expect(join.kind).toBe('inclusiveGateway');
    if (join.kind !== 'inclusiveGateway') return;
    expect(join.incoming).toEqual(['a2', 'b2', 'x1']);
    expect(join.upstream).toEqual({
      a2: ['A', 'Y', 'split', 'start'],
      b2: ['B', 'Y', 'split', 'start'],
      x1: ['C', 'X', 'Y', 'split', 'start'],
    });
  });

  it('treats the split as a join of its own incoming flows too', async () => {
    // when
    const process = await compileOne(fixture('inclusive-join-extra-path.bpmn'));
    // then: `join` is upstream of `again`; `start` is not, as it reaches `again` only through `split`
    expect(process.elements.split).toMatchObject({
      upstream: { s: ['start'], again: ['A', 'B', 'C', 'X', 'Y', 'join'] },
    });
  });
});

describe('compile: embedded sub-processes', () => {
  it('gives nested elements the id of their sub-process as parent', async () => {
    // when
    const process = await compileOne(fixture('nested-sub-processes.bpmn'));
    // then
    const parents = Object.fromEntries(Object.values(process.elements).map((e) => [e.id, e.parent]));
    expect(parents).toEqual({
      outer: '',
      start: 'outer',
      level1: 'outer',
      start1: 'level1',
      level2: 'level1',
      start2: 'level2',
      fork2: 'level2',
      'deep-a': 'level2',
      'deep-b': 'level2',
      join2: 'level2',
      end2: 'level2',
      end1: 'level1',
      join: 'outer',
      end: 'outer',
    });
  });

  it('records children, start event and mappings of each container', async () => {
    // when
    const process = await compileOne(fixture('nested-sub-processes.bpmn'));
    // then
    expect(process.elements.outer).toMatchObject({ startEventId: 'start', children: ['start', 'level1', 'join', 'end'] });
    expect(process.elements.level1).toMatchObject({
      kind: 'subProcess',
      startEventId: 'start1',
      children: ['start1', 'level2', 'end1'],
      incoming: ['f1'],
      outgoing: ['f2'],
      inputs: [{ source: { feel: 'items' }, target: 'local' }],
    });
    expect(process.elements.level2).toMatchObject({ startEventId: 'start2', children: ['start2', 'fork2', 'deep-a', 'deep-b', 'join2', 'end2'] });
    expect(Object.keys(process.flows)).toEqual(expect.arrayContaining(['g1', 'g6', 'h1', 'f3']));
  });

  it('keeps upstream sets inside one container: a sub-process counts as one element', async () => {
    // when
    const process = await compileOne(fixture('nested-sub-processes.bpmn'));
    // then
    expect(process.elements.join).toMatchObject({ upstream: { f2: ['level1', 'start'] } });
    expect(process.elements.join2).toMatchObject({ upstream: { g4: ['deep-a', 'fork2', 'start2'], g5: ['deep-b', 'fork2', 'start2'] } });
  });
});
