import { describe, expect, it } from 'vitest';
import { model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';
import type { VariableMapping } from '../../../engine/model/types.js';

/** start → work (service task with mappings) → next (service task) → end */
function work(mappings: { inputs?: VariableMapping[]; outputs?: VariableMapping[] }) {
  return model('p')
    .add('start', 'startEvent')
    .add('work', 'serviceTask', { jobType: { value: 'work' }, ...mappings })
    .add('next', 'serviceTask', { jobType: { value: 'next' } })
    .add('end', 'endEvent')
    .chain('start', 'work', 'next', 'end')
    .build();
}

describe('runtime: variables and mappings', () => {
  describe('input mappings', () => {
    it('create local variables on the element, visible to its job but not to the root', () => {
      // when
      const s = scenario(work({ inputs: [{ source: { feel: 'order.total' }, target: 'amount' }] })).start({ order: { total: 40 } });
      // then
      const instance = s.instanceOf('work');
      expect(instance.variables).toEqual({ amount: 40 });
      expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ order: { total: 40 }, amount: 40 });
      expect(s.rootVariables()).toEqual({ order: { total: 40 } });
      expect(s.audits().find((e) => e.type === 'VARIABLES_SET' && e.elementId === 'work')).toEqual({
        type: 'VARIABLES_SET',
        elementId: 'work',
        elementInstanceKey: instance.key,
        payload: { variables: { amount: 40 }, local: true },
      });
    });

    it('may read earlier targets and build nested contexts from dotted targets', () => {
      // given
      const inputs = [
        { source: { feel: '2' }, target: 'a' },
        { source: { feel: 'a * 3' }, target: 'b' },
        { source: { feel: '"Ada"' }, target: 'customer.name' },
        { source: { feel: 'b' }, target: 'customer.score' },
      ];
      // when
      const s = scenario(work({ inputs })).start();
      // then
      expect(s.instanceOf('work').variables).toEqual({ a: 2, b: 6, customer: { name: 'Ada', score: 6 } });
    });

    it('keeps the other fields of a context when a dotted target sets one of them', () => {
      // given a customer context in the process, and an input mapping to one of its fields
      const inputs = [{ source: { feel: '"Ada"' }, target: 'customer.name' }];
      // when
      const s = scenario(work({ inputs })).start({ customer: { id: 7, address: { city: 'Oslo' } } });
      // then
      expect(s.instanceOf('work').variables).toEqual({ customer: { id: 7, address: { city: 'Oslo' }, name: 'Ada' } });
    });

    it('set a literal source as the string it is, without evaluating it', () => {
      // given literals as Camunda's connector templates write them, a FEEL source, and a null one
      const inputs: VariableMapping[] = [
        { source: { value: 'noAuth' }, target: 'authentication.type' },
        { source: { value: '{{secrets.API_KEY}}' }, target: 'apiKey' },
        { source: { value: '3' }, target: 'attempts' },
        { source: { value: 'orderId' }, target: 'name' },
        { source: { feel: 'orderId' }, target: 'id' },
        { source: { feel: 'null' }, target: 'body' },
      ];
      // when
      const s = scenario(work({ inputs })).start({ orderId: 'A-1' });
      // then
      expect(s.state.incidents).toEqual({});
      expect(s.instanceOf('work').variables).toEqual({
        authentication: { type: 'noAuth' }, apiKey: '{{secrets.API_KEY}}', attempts: '3', name: 'orderId', id: 'A-1', body: null,
      });
    });

    it('still evaluate a source stored as FEEL text, by definitions deployed before literals were told apart', () => {
      // given a stored model whose mapping source is the expression itself
      const inputs = [{ source: 'orderId', target: 'id' }] as unknown as VariableMapping[];
      // when
      const s = scenario(work({ inputs })).start({ orderId: 'A-1' });
      // then
      expect(s.instanceOf('work').variables).toEqual({ id: 'A-1' });
    });

    it('read the step clock through now()', () => {
      // when
      const s = scenario(work({ inputs: [{ source: { feel: 'string(now())' }, target: 'at' }, { source: { feel: 'string(today())' }, target: 'day' }] }), '2026-11-25T12:00:00.000Z').start();
      // then
      expect(s.instanceOf('work').variables).toEqual({ at: '2026-11-25T12:00:00Z', day: '2026-11-25' });
    });

    it('keep a job result for a local variable local, as Zeebe does without output mappings', () => {
      // given
      const s = scenario(work({ inputs: [{ source: { feel: '1' }, target: 'attempt' }] })).start();
      // when
      s.completeJob('work', { attempt: 2, other: 'x' });
      // then the update went to the element's scope and ended with it
      expect(s.rootVariables()).toEqual({ other: 'x' });
      expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ other: 'x' });
    });

    it('open an IO_MAPPING_FAILED incident when a source fails, holding the element before its job exists', () => {
      // when
      const s = scenario(work({ inputs: [{ source: { feel: 'customer.id + 1' }, target: 'id' }] })).start();
      // then
      expect(s.effectsOf('CREATE_JOB')).toEqual([]);
      expect(s.incident()).toMatchObject({ type: 'IO_MAPPING_FAILED', elementId: 'work', retry: 'activate', message: expect.stringContaining("'id'") });
      expect(s.instanceOf('work')).toMatchObject({ state: 'ACTIVATING', incidentId: s.incident().id });
    });

    it('are re-run when their incident is resolved', () => {
      // given
      const s = scenario(work({ inputs: [{ source: { feel: 'customer.id + 1' }, target: 'id' }] })).start();
      const first = s.incident().id;
      // when resolved with nothing changed
      s.resolve();
      // then a new incident holds the element
      expect(s.effectTypes()).toEqual(['RESOLVE_INCIDENT', 'OPEN_INCIDENT']);
      expect(s.incident().id).not.toBe(first);
      expect(s.instanceOf('work').state).toBe('ACTIVATING');

      // when resolved after the variable was provided
      s.state.elements[INSTANCE_ID].variables = { customer: { id: 41 } };
      s.resolve();
      // then the activation runs to its job
      expect(s.state.incidents).toEqual({});
      expect(s.instanceOf('work')).toMatchObject({ state: 'ACTIVE', variables: { id: 42 } });
      expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ customer: { id: 41 }, id: 42 });
    });
  });

  describe('output mappings', () => {
    it('evaluate in the element scope and write only their targets into the parent scope', () => {
      // given
      const definition = work({ inputs: [{ source: { feel: '10' }, target: 'base' }], outputs: [{ source: { feel: 'base + points' }, target: 'score' }] });
      const s = scenario(definition).start();
      // when
      s.completeJob('work', { points: 5 });
      // then the job result stays local; only `score` reaches the root
      expect(s.rootVariables()).toEqual({ score: 15 });
      expect(s.audits().filter((e) => e.type === 'VARIABLES_SET')).toEqual([
        { type: 'VARIABLES_SET', elementInstanceKey: INSTANCE_ID, payload: { variables: { score: 15 } } },
      ]);
      expect(s.effectsOf('CREATE_JOB')[0].job.variables).toEqual({ score: 15 });
    });

    it('inside a sub-process update the sub-process variable of that name, else create the variable at the root', () => {
      // given a task in a sub-process that holds `status`
      const definition = model('p')
        .add('start', 'startEvent')
        .add('sub', 'subProcess', { inputs: [{ source: { feel: '"new"' }, target: 'status' }] })
        .add('subStart', 'startEvent', { parent: 'sub' })
        .add('work', 'serviceTask', { parent: 'sub', outputs: [{ source: { feel: 'result' }, target: 'status' }, { source: { feel: 'result' }, target: 'lastResult' }] })
        .add('wait', 'userTask', { parent: 'sub' })
        .add('after', 'userTask')
        .chain('start', 'sub', 'after')
        .chain('subStart', 'work', 'wait')
        .build();
      const s = scenario(definition).start();
      // when
      s.completeJob('work', { result: 'done' });
      // then
      expect(s.instanceOf('sub').variables).toEqual({ status: 'done' });
      expect(s.rootVariables()).toEqual({ lastResult: 'done' });
    });

    it('open an incident that keeps the result when they fail, and re-apply it when resolved', () => {
      // given
      const definition = work({ outputs: [{ source: { feel: 'points * factor' }, target: 'score' }] });
      const s = scenario(definition).start();
      const jobKey = s.jobKey('work');
      // when the job completes but `factor` is missing
      s.completeJob('work', { points: 5 });
      // then the job is done, the element is held while completing
      expect(s.effectTypes()).toEqual(['FINISH_JOB', 'OPEN_INCIDENT']);
      expect(s.state.jobs[jobKey]).toBeUndefined();
      expect(s.incident()).toMatchObject({ type: 'IO_MAPPING_FAILED', elementId: 'work', retry: 'complete', pendingVariables: { points: 5 }, message: expect.stringContaining("'score'") });
      expect(s.instanceOf('work').state).toBe('COMPLETING');
      expect(s.rootVariables()).toEqual({});

      // when resolved with nothing changed
      s.resolve();
      // then it fails again
      expect(s.incident()).toMatchObject({ type: 'IO_MAPPING_FAILED', retry: 'complete', pendingVariables: { points: 5 } });

      // when resolved after `factor` was provided
      s.state.elements[INSTANCE_ID].variables = { factor: 3 };
      s.resolve();
      // then the job's result is applied through the mapping and the process goes on
      expect(s.state.incidents).toEqual({});
      expect(s.rootVariables()).toEqual({ factor: 3, score: 15 });
      expect(s.effectsOf('CREATE_JOB')[0].job.type).toBe('next');
      expect(s.effectsOf('FINISH_JOB')).toEqual([]);
    });

    it('set a literal source as a string in the parent scope', () => {
      // given
      const definition = work({ outputs: [{ source: { value: 'charged' }, target: 'status' }] });
      const s = scenario(definition).start();
      // when
      s.completeJob('work', { status: 'ignored' });
      // then
      expect(s.rootVariables()).toEqual({ status: 'charged' });
    });

    it('of a sub-process that fail hold the sub-process while completing', () => {
      // given
      const definition = model('p')
        .add('start', 'startEvent')
        .add('sub', 'subProcess', { outputs: [{ source: { feel: 'missing.value' }, target: 'x' }] })
        .add('subStart', 'startEvent', { parent: 'sub' })
        .add('subEnd', 'endEvent', { parent: 'sub' })
        .add('end', 'endEvent')
        .chain('start', 'sub', 'end')
        .chain('subStart', 'subEnd')
        .build();
      // when
      const s = scenario(definition).start();
      // then
      expect(s.incident()).toMatchObject({ type: 'IO_MAPPING_FAILED', elementId: 'sub', retry: 'complete' });
      expect(s.instanceOf('sub').state).toBe('COMPLETING');
      expect(s.state.status).toBe('ACTIVE');

      // when fixed and resolved
      s.state.elements[INSTANCE_ID].variables = { missing: { value: 7 } };
      s.resolve();
      // then
      expect(s.state.status).toBe('COMPLETED');
      expect(s.rootVariables()).toEqual({ missing: { value: 7 }, x: 7 });
    });
  });
});
