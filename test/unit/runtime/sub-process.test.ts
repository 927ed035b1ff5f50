import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

describe('runtime: embedded sub-process', () => {
  /** start → sub [ subStart → work → subEnd ] → after → end */
  function withSub(sub: Record<string, unknown> = {}) {
    return model('p')
      .add('start', 'startEvent')
      .add('sub', 'subProcess', sub)
      .add('subStart', 'startEvent', { parent: 'sub' })
      .add('work', 'serviceTask', { parent: 'sub', jobType: { value: 'work' } })
      .add('subEnd', 'endEvent', { parent: 'sub' })
      .add('after', 'serviceTask', { jobType: { value: 'after' } })
      .add('end', 'endEvent')
      .chain('start', 'sub', 'after', 'end')
      .chain('subStart', 'work', 'subEnd')
      .build();
  }

  it('runs its own start event inside its own scope', () => {
    // when
    const s = scenario(withSub()).start({ orderId: 'o-1' });
    // then
    const sub = s.instanceOf('sub');
    expect(sub).toMatchObject({ state: 'ACTIVE', scopeKey: INSTANCE_ID, variables: {} });
    expect(s.instanceOf('work').scopeKey).toBe(sub.key);
    expect(s.activated()).toEqual(['p', 'start', 'sub', 'subStart', 'work']);
    expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ orderId: 'o-1' });
  });

  it('keeps variables from its input mappings local', () => {
    // given
    const definition = withSub({ inputs: [{ source: { feel: 'amount * 2' }, target: 'doubled' }] });
    const s = scenario(definition).start({ amount: 5 });
    // then the inner job sees the local variable, the root does not hold it
    expect(s.instanceOf('sub').variables).toEqual({ doubled: 10 });
    expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ amount: 5, doubled: 10 });
    expect(s.rootVariables()).toEqual({ amount: 5 });

    // when the inner job updates the local variable and creates a new one
    s.completeJob('work', { doubled: 11, note: 'n' });
    // then the update stayed in the sub-process and is gone with it; the new one went to the root
    expect(s.rootVariables()).toEqual({ amount: 5, note: 'n' });
    expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ amount: 5, note: 'n' });
  });

  it('carries local variables out through its output mappings', () => {
    // given
    const definition = withSub({ inputs: [{ source: { feel: 'amount * 2' }, target: 'doubled' }], outputs: [{ source: { feel: 'doubled' }, target: 'result' }] });
    const s = scenario(definition).start({ amount: 5 });
    // when
    s.completeJob('work', { doubled: 11 });
    // then
    expect(s.rootVariables()).toEqual({ amount: 5, result: 11 });
    expect(s.audits().filter((e) => e.type === 'VARIABLES_SET')).toEqual([
      // the job result updates the sub-process's local variable
      { type: 'VARIABLES_SET', elementInstanceKey: expect.any(String), payload: { variables: { doubled: 11 } } },
      // the output mapping writes into the root
      { type: 'VARIABLES_SET', elementInstanceKey: INSTANCE_ID, payload: { variables: { result: 11 } } },
    ]);
  });

  it('completes when its last token ends, and the process continues after it', () => {
    // given a sub-process with two parallel branches
    const definition = model('p')
      .add('start', 'startEvent')
      .add('sub', 'subProcess')
      .add('subStart', 'startEvent', { parent: 'sub' })
      .add('fork', 'parallelGateway', { parent: 'sub' })
      .add('a', 'serviceTask', { parent: 'sub', jobType: { value: 'a' } })
      .add('b', 'serviceTask', { parent: 'sub', jobType: { value: 'b' } })
      .add('endA', 'endEvent', { parent: 'sub' })
      .add('endB', 'endEvent', { parent: 'sub' })
      .add('after', 'serviceTask', { jobType: { value: 'after' } })
      .chain('start', 'sub', 'after')
      .chain('subStart', 'fork', 'a', 'endA')
      .chain('fork', 'b', 'endB')
      .build();
    const s = scenario(definition).start();
    // when
    s.completeJob('a');
    // then
    expect(liveElements(s.state)).toEqual(['b', 'sub']);
    expect(s.trace()).not.toContain('ELEMENT_COMPLETED sub');

    // when
    s.completeJob('b');
    // then
    expect(s.trace().slice(-4)).toEqual(['ELEMENT_COMPLETED sub', 'FLOW_TAKEN f2_sub_after', 'ELEMENT_ACTIVATED after', 'JOB_CREATED after']);
    expect(liveElements(s.state)).toEqual(['after']);
  });

  describe('nested two levels', () => {
    /** start → outer [ outerStart → inner [ innerStart → work → innerEnd ] → outerEnd ] → end */
    function nested() {
      return model('p')
        .add('start', 'startEvent')
        .add('outer', 'subProcess', { inputs: [{ source: { feel: '"outer"' }, target: 'level' }, { source: { feel: '1' }, target: 'outerOnly' }] })
        .add('outerStart', 'startEvent', { parent: 'outer' })
        .add('inner', 'subProcess', { parent: 'outer', inputs: [{ source: { feel: '"inner"' }, target: 'level' }, { source: { feel: '2' }, target: 'innerOnly' }] })
        .add('innerStart', 'startEvent', { parent: 'inner' })
        .add('work', 'serviceTask', { parent: 'inner' })
        .add('innerEnd', 'endEvent', { parent: 'inner' })
        .add('outerEnd', 'endEvent', { parent: 'outer' })
        .add('end', 'endEvent')
        .chain('start', 'outer', 'end')
        .chain('outerStart', 'inner', 'outerEnd')
        .chain('innerStart', 'work', 'innerEnd')
        .build();
    }

    it('gives each level its own scope, the inner one shadowing the outer', () => {
      // when
      const s = scenario(nested()).start({ level: 'root' });
      // then
      const outer = s.instanceOf('outer');
      const inner = s.instanceOf('inner');
      expect(inner.scopeKey).toBe(outer.key);
      expect(s.instanceOf('work').scopeKey).toBe(inner.key);
      expect(outer.variables).toEqual({ level: 'outer', outerOnly: 1 });
      expect(inner.variables).toEqual({ level: 'inner', innerOnly: 2 });
      expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ level: 'inner', outerOnly: 1, innerOnly: 2 });
    });

    it('propagates job variables to the nearest scope holding them, else to the root', () => {
      // given
      const s = scenario(nested()).start({ level: 'root' });
      const outerKey = s.instanceOf('outer').key;
      const innerKey = s.instanceOf('inner').key;
      // when
      s.run({ type: 'COMPLETE_JOB', jobKey: s.jobKey('work'), variables: { outerOnly: 10, innerOnly: 20, level: 'job', fresh: true } });
      // then the writes were recorded where they landed
      const writes = s.audits().filter((e) => e.type === 'VARIABLES_SET').map((e) => [e.elementInstanceKey, e.payload!.variables]);
      expect(Object.fromEntries(writes)).toEqual({
        [innerKey]: { innerOnly: 20, level: 'job' },
        [outerKey]: { outerOnly: 10 },
        [INSTANCE_ID]: { fresh: true },
      });
      expect(writes).toHaveLength(3);
      // and with both sub-processes done only the root's variables remain
      expect(s.state.status).toBe('COMPLETED');
      expect(s.rootVariables()).toEqual({ level: 'root', fresh: true });
    });

    it('completes both levels and the instance when the inner work is done', () => {
      // given
      const s = scenario(nested()).start();
      // when
      s.completeJob('work');
      // then
      expect(s.trace().filter((t) => t.startsWith('ELEMENT_COMPLETED'))).toEqual([
        'ELEMENT_COMPLETED work',
        'ELEMENT_COMPLETED innerEnd',
        'ELEMENT_COMPLETED inner',
        'ELEMENT_COMPLETED outerEnd',
        'ELEMENT_COMPLETED outer',
        'ELEMENT_COMPLETED end',
        'ELEMENT_COMPLETED p',
      ]);
      expect(s.effectsOf('INSTANCE_ENDED')).toEqual([{ type: 'INSTANCE_ENDED', status: 'COMPLETED' }]);
    });
  });

  it('joins branches inside its own scope', () => {
    // given an inclusive fork and join inside the sub-process, with a task outside running in parallel
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('outside', 'serviceTask')
      .add('sub', 'subProcess')
      .add('subStart', 'startEvent', { parent: 'sub' })
      .add('split', 'inclusiveGateway', { parent: 'sub' })
      .add('a', 'serviceTask', { parent: 'sub' })
      .add('b', 'serviceTask', { parent: 'sub' })
      .add('c', 'serviceTask', { parent: 'sub' })
      .add('merge', 'inclusiveGateway', { parent: 'sub' })
      .add('subEnd', 'endEvent', { parent: 'sub' })
      .add('after', 'serviceTask')
      .chain('start', 'fork', 'outside')
      .chain('fork', 'sub', 'after')
      .chain('subStart', 'split')
      .flow('split', 'a', { condition: 'true' })
      .flow('split', 'b', { condition: 'true' })
      .flow('split', 'c', { condition: 'false' })
      .chain('a', 'merge')
      .chain('b', 'merge')
      .chain('c', 'merge')
      .chain('merge', 'subEnd')
      .build();
    const s = scenario(definition).start();
    const subKey = s.instanceOf('sub').key;
    // when
    s.completeJob('a');
    // then the arrival is counted on the sub-process's scope
    expect(s.state.elements[subKey].joins).toEqual({ merge: { f9_a_merge: 1 } });
    expect(s.activated()).toEqual([]);

    // when
    s.completeJob('b');
    // then
    expect(s.activated()).toEqual(['merge', 'subEnd', 'after']);
    expect(liveElements(s.state)).toEqual(['after', 'outside']);
  });
});
