import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

/** start → split → (low | high | other) service tasks → end each */
function split(options: { withDefault?: boolean; lowCondition?: string } = {}) {
  const b = model('p')
    .add('start', 'startEvent')
    .add('split', 'exclusiveGateway')
    .add('low', 'serviceTask', { jobType: { value: 'low' } })
    .add('high', 'serviceTask', { jobType: { value: 'high' } })
    .add('end', 'endEvent')
    .flow('start', 'split')
    .flow('split', 'low', { id: 'to-low', condition: options.lowCondition ?? 'amount > 10' })
    .flow('split', 'high', { id: 'to-high', condition: 'amount > 100' })
    .chain('low', 'end')
    .chain('high', 'end');
  if (options.withDefault) b.add('other', 'serviceTask', { jobType: { value: 'other' } }).flow('split', 'other', { id: 'to-other', default: true }).chain('other', 'end');
  return b.build();
}

describe('runtime: exclusive gateway', () => {
  it('takes the first flow in document order whose condition holds', () => {
    // given amount 500: both conditions hold
    // when
    const s = scenario(split()).start({ amount: 500 });
    // then
    expect(liveElements(s.state)).toEqual(['low']);
    expect(s.effectsOf('CREATE_JOB').map((e) => e.job.type)).toEqual(['low']);
    expect(s.trace()).toContain('FLOW_TAKEN to-low');
    expect(s.trace()).not.toContain('FLOW_TAKEN to-high');
  });

  it('takes a later flow when the earlier conditions do not hold', () => {
    // when
    const s = scenario(split({ lowCondition: 'amount < 10' })).start({ amount: 500 });
    // then
    expect(liveElements(s.state)).toEqual(['high']);
  });

  it('takes the default flow when no condition holds', () => {
    // when
    const s = scenario(split({ withDefault: true })).start({ amount: 1 });
    // then
    expect(liveElements(s.state)).toEqual(['other']);
    expect(s.trace()).toContain('FLOW_TAKEN to-other');
  });

  it('opens a CONDITION_FAILED incident when no condition holds and there is no default', () => {
    // when
    const s = scenario(split()).start({ amount: 1 });
    // then
    expect(s.effectTypes()).toEqual(['OPEN_INCIDENT']);
    expect(s.incident()).toMatchObject({ type: 'CONDITION_FAILED', elementId: 'split', retry: 'activate' });
    expect(liveElements(s.state)).toEqual(['split']);
    expect(s.state.status).toBe('ACTIVE');
  });

  it('opens a CONDITION_FAILED incident when a condition is not boolean', () => {
    // when
    const s = scenario(split({ lowCondition: 'amount + 1' })).start({ amount: 500 });
    // then
    expect(s.incident()).toMatchObject({ type: 'CONDITION_FAILED', elementId: 'split', message: expect.stringContaining('boolean') });
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);
  });

  it('opens a CONDITION_FAILED incident when a condition reads a missing variable', () => {
    // when
    const s = scenario(split()).start();
    // then
    expect(s.incident()).toMatchObject({ type: 'CONDITION_FAILED', message: expect.stringContaining("'amount'") });
  });

  it('evaluates the conditions again when the incident is resolved', () => {
    // given
    const s = scenario(split()).start();
    s.state.elements[INSTANCE_ID].variables!.amount = 50;
    // when
    s.resolve();
    // then
    expect(s.state.incidents).toEqual({});
    expect(liveElements(s.state)).toEqual(['low']);
  });

  it('passes every arriving token through when it merges', () => {
    // given a parallel fork whose two branches meet at an exclusive gateway
    const definition = model('p')
      .add('start', 'startEvent')
      .add('fork', 'parallelGateway')
      .add('merge', 'exclusiveGateway')
      .add('after', 'serviceTask')
      .add('end', 'endEvent')
      .chain('start', 'fork')
      .flow('fork', 'merge')
      .flow('fork', 'merge')
      .chain('merge', 'after', 'end')
      .build();
    // when
    const s = scenario(definition).start();
    // then
    expect(s.activated().filter((id) => id === 'merge')).toHaveLength(2);
    expect(liveElements(s.state)).toEqual(['after', 'after']);
  });
});

describe('runtime: conditional flows out of an activity', () => {
  it('takes the flows whose condition holds, else the default, else holds the activity with an incident', async () => {
    const { compile } = await import('../../../engine/model/index.js');
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="work" />
      <bpmn:userTask id="work" default="to-c" />
      <bpmn:sequenceFlow id="to-a" sourceRef="work" targetRef="a"><bpmn:conditionExpression>=x = 1</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="to-b" sourceRef="work" targetRef="b"><bpmn:conditionExpression>=x &gt;= 1</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="to-c" sourceRef="work" targetRef="c" />
      <bpmn:userTask id="a" /><bpmn:userTask id="b" /><bpmn:userTask id="c" /></bpmn:process></bpmn:definitions>`;
    const { processes, problems } = await compile(xml, 'c.bpmn');
    expect(problems).toEqual([]);
    const { scenario } = await import('./scenario.js');
    const { liveElements } = await import('./process-builder.js');
    expect(liveElements(scenario(processes[0]).start().completeTask('work', { x: 1 }).state).sort()).toEqual(['a', 'b']);
    expect(liveElements(scenario(processes[0]).start().completeTask('work', { x: 0 }).state)).toEqual(['c']);
  });
});
