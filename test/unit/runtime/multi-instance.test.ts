import { describe, expect, it } from 'vitest';
import { compiled } from './compiled.js';
import { liveElements } from './process-builder.js';
import { scenario } from './scenario.js';

// multi-instance.bpmn: `check-each` runs a `check` job per item in parallel (outputs collected in `results`,
// an interrupting PT1H timer on the whole); `approve-twice` is a sequential user task ×3 that is done after 2;
// `retry` is a script task in a standard loop while attempts < 3.
const runs = (s: ReturnType<typeof scenario>, id: string) => Object.values(s.state.elements).filter((e) => e.elementId === id && !e.loop);

describe('runtime: multi-instance and loops', () => {
  it('a parallel multi-instance starts one run per item, each with its item and loopCounter', async () => {
    const s = scenario(await compiled('multi-instance.bpmn')).start({ items: ['a', 'b', 'c'], attempts: 0 });
    const jobs = s.effectsOf('CREATE_JOB');
    expect(jobs.map((j) => [j.job.variables.item, j.job.variables.loopCounter])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(s.waits()).toEqual(['timer:too-slow']);
  });

  it('collects each run\'s output element at its index, whatever order they finish in, then moves on', async () => {
    const s = scenario(await compiled('multi-instance.bpmn')).start({ items: ['a', 'b', 'c'], attempts: 0 });
    const [a, b, c] = runs(s, 'check-each');
    for (const [run, value] of [[c, 'C'], [a, 'A'], [b, 'B']] as const) s.run({ type: 'COMPLETE_JOB', jobKey: run.jobKey!, variables: { checked: value } });
    expect(s.rootVariables()).toMatchObject({ results: ['A', 'B', 'C'] });
    expect(liveElements(s.state).sort()).toEqual(['approve-twice', 'approve-twice']);
    expect(s.waits()).toEqual([]);
  });

  it('an interrupting boundary event ends every run', async () => {
    const s = scenario(await compiled('multi-instance.bpmn')).start({ items: ['a', 'b'], attempts: 0 });
    s.fireTimer('too-slow');
    expect(s.effectsOf('FINISH_JOB').map((e) => e.state)).toEqual(['CANCELED', 'CANCELED']);
    expect(s.state.status).toBe('COMPLETED');
  });

  it('an empty collection completes at once with an empty output collection', async () => {
    const s = scenario(await compiled('multi-instance.bpmn')).start({ items: [], attempts: 0 });
    expect(s.rootVariables()).toMatchObject({ results: [] });
    expect(runs(s, 'approve-twice')).toHaveLength(1);
  });

  it('a sequential multi-instance runs one at a time and stops when its completion condition holds', async () => {
    const s = scenario(await compiled('multi-instance.bpmn')).start({ items: [], attempts: 0 });
    expect(runs(s, 'approve-twice').map((r) => r.variables?.loopCounter)).toEqual([1]);
    s.completeTask('approve-twice');
    expect(runs(s, 'approve-twice').map((r) => r.variables?.loopCounter)).toEqual([2]);
    s.completeTask('approve-twice');
    // the third never starts; the standard loop ran the script three times
    expect(s.rootVariables()).toMatchObject({ attempts: 3 });
    expect(s.state.status).toBe('COMPLETED');
  });

  it('an input collection that is not a list is an incident on the body', async () => {
    const s = scenario(await compiled('multi-instance.bpmn')).start({ items: 'abc', attempts: 0 });
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'check-each' });
    expect(s.incident().message).toContain('must be a list');
  });
});

describe('runtime: multi-instance work', () => {
  it('hands each run its item, not the whole input collection it came from nor the output collection being filled', async () => {
    const s = scenario(await compiled('multi-instance.bpmn')).start({ items: ['a', 'b'], attempts: 0, other: 1 });
    for (const { job } of s.effectsOf('CREATE_JOB')) {
      expect(job.variables).not.toHaveProperty('items');
      expect(job.variables).not.toHaveProperty('results');
      expect(job.variables).toMatchObject({ other: 1 });
    }
  });
});
