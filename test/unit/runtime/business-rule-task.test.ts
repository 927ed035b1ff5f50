import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { decisionEvaluatedCommand, type DeployedDecision } from '../../../engine/dmn/index.js';
import type { InstanceState } from '../../../engine/runtime/types.js';
import { drgOf, NOW } from '../dmn/dmn-fixtures.js';
import { scenario } from './scenario.js';

// business-rule-task.bpmn: `pricing` evaluates decision `discount` (discount.dmn) in task `rate`, maps it on to
// `percent`, then waits on job `charge`; `regional` calls "risk-" + region bound by version tag 2026;
// `by-worker` has a business rule task done by a worker (job type rules-engine).
async function processes() {
  const xml = readFileSync(new URL('../../fixtures/runtime/business-rule-task.bpmn', import.meta.url), 'utf8');
  const { processes, problems } = await compile(xml, 'business-rule-task.bpmn');
  expect(problems).toEqual([]);
  return Object.fromEntries(processes.map((p) => [p.id, p]));
}

const order = { customer: { status: 'gold' }, lines: [{ price: 600, quantity: 2 }] };

describe('runtime: business rule task', () => {
  it('asks for its decision with the variables it sees, and waits', async () => {
    // when
    const s = scenario((await processes()).pricing).start(order);
    // then
    expect(s.effectsOf('EVALUATE_DECISION')).toEqual([
      { type: 'EVALUATE_DECISION', elementInstanceKey: s.instanceOf('rate').key, elementId: 'rate', decisionId: 'discount', binding: { type: 'latest' }, variables: order },
    ]);
    expect(s.instanceOf('rate')).toMatchObject({ state: 'ACTIVE', decisionId: 'discount' });
  });

  it('completes with the result in its result variable (and its output mappings) when the decision is evaluated', async () => {
    // given
    const s = scenario((await processes()).pricing).start(order);
    const key = s.instanceOf('rate').key;
    // when
    s.run({ type: 'DECISION_EVALUATED', elementInstanceKey: key, decisionId: 'discount', result: 0.15, decision: { key: 'dec-1', version: 3 } });
    // then
    expect(s.rootVariables()).toMatchObject({ discount: 0.15, percent: 15 });
    expect(s.trace()).toContain('DECISION_EVALUATED rate');
    expect(s.audits().find((a) => a.type === 'DECISION_EVALUATED')?.payload).toEqual({ decisionId: 'discount', decisionKey: 'dec-1', version: 3, result: 0.15 });
    expect(s.effectTypes()).toContain('CREATE_JOB');
    // an answer nobody waits for any more is refused
    expect(s.rejected({ type: 'DECISION_EVALUATED', elementInstanceKey: key, decisionId: 'discount', result: 0 }).code).toBe('ELEMENT_NOT_WAITING');
  });

  it('a decision that cannot be evaluated is an incident naming the decision and the input; resolving it asks again', async () => {
    // given: the deployed decision, evaluated as the command path does (discount.dmn)
    const deployed: DeployedDecision = { key: 'dec-1', decisionId: 'discount', version: 1, drg: await drgOf('discount.dmn') };
    const s = scenario((await processes()).pricing).start({ lines: order.lines });
    const [ask] = s.effectsOf('EVALUATE_DECISION');
    // when
    s.run(decisionEvaluatedCommand(ask, deployed, NOW));
    // then
    expect(s.incident()).toMatchObject({ type: 'DECISION_EVALUATION_FAILED', elementId: 'rate', retry: 'activate' });
    expect(s.incident().message).toBe(
      "Business rule task 'rate': Decision 'discount' could not be evaluated: input \"Customer status\" (customer.status): FEEL expression 'customer.status' evaluated to null: Variable 'customer' not found; Property 'status' not found in 'null'",
    );
    // when the variable is set and the incident resolved
    s.state.elements[s.state.id].variables!.customer = { status: 'silver' };
    s.resolve();
    const [again] = s.effectsOf('EVALUATE_DECISION');
    s.run(decisionEvaluatedCommand(again, deployed, NOW));
    // then
    expect(s.rootVariables()).toMatchObject({ discount: 0, percent: 0 });
    expect(s.audits().find((a) => a.type === 'DECISION_EVALUATED')?.payload?.evaluatedDecisions).toHaveLength(2);
  });

  it('a decision that is not deployed for the binding is an incident naming it', async () => {
    const s = scenario((await processes()).regional).start({ region: 'eu' });
    const [ask] = s.effectsOf('EVALUATE_DECISION');
    expect(ask).toMatchObject({ decisionId: 'risk-eu', binding: { type: 'versionTag', versionTag: '2026' } });
    s.run(decisionEvaluatedCommand(ask, undefined, NOW));
    expect(s.incident()).toMatchObject({ type: 'CALLED_DECISION_NOT_FOUND', message: "Business rule task 'classify': No decision 'risk-eu' is deployed with version tag '2026'" });
  });

  it('a decision id expression that does not evaluate is an incident before anything is asked', async () => {
    const s = scenario((await processes()).regional).start({});
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'classify' });
    expect(s.effectsOf('EVALUATE_DECISION')).toEqual([]);
  });

  it('continues the same way from its state restored from JSON', async () => {
    const s = scenario((await processes()).pricing).start(order);
    const restored = JSON.parse(JSON.stringify(s.state)) as InstanceState;
    s.state = restored;
    s.run({ type: 'DECISION_EVALUATED', elementInstanceKey: s.instanceOf('rate').key, decisionId: 'discount', result: 0.1 });
    expect(s.rootVariables()).toMatchObject({ percent: 10 });
  });

  it('with a job type it is a job for a worker, like a service task', async () => {
    // when
    const s = scenario((await processes())['by-worker']).start({ x: 1 });
    // then
    expect(s.effectsOf('CREATE_JOB')[0].job).toMatchObject({ type: 'rules-engine', retries: 2, elementId: 'external-rules' });
    s.completeJob('external-rules', { verdict: 'ok' });
    expect(s.state.status).toBe('COMPLETED');
    expect(s.rootVariables()).toEqual({ x: 1, verdict: 'ok' });
  });
});

describe('compile: business rule task', () => {
  const task = (extensions: string) => `<?xml version="1.0"?>
    <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
      <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>
        <bpmn:businessRuleTask id="t"><bpmn:extensionElements>${extensions}</bpmn:extensionElements></bpmn:businessRuleTask></bpmn:process>
    </bpmn:definitions>`;
  const problemsOf = async (extensions: string) => (await compile(task(extensions), 't.bpmn')).problems.map((p) => `${p.field}|${p.message}`);

  it('needs a decision and a result variable, or a job type, and not both', async () => {
    expect(await problemsOf('')).toEqual([
      'zeebe:calledDecision.decisionId|Business rule task "t" needs a DMN decision to evaluate (zeebe:calledDecision decisionId and resultVariable) or a job type for a worker (zeebe:taskDefinition type)',
    ]);
    expect(await problemsOf('<zeebe:calledDecision decisionId="d"/>')).toEqual([
      'zeebe:calledDecision.resultVariable|Business rule task "t" needs a result variable for the decision\'s result (zeebe:calledDecision resultVariable)',
    ]);
    expect(await problemsOf('<zeebe:calledDecision decisionId="d" resultVariable="r"/><zeebe:taskDefinition type="x"/>')).toEqual([
      'zeebe:calledDecision|Business rule task "t" has both a called decision (zeebe:calledDecision) and a job type (zeebe:taskDefinition); it needs one of them',
    ]);
    expect(await problemsOf('<zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="versionTag"/>')).toEqual([
      'zeebe:calledDecision.bindingType|Business rule task "t": a versionTag binding needs a versionTag',
    ]);
    expect(await problemsOf('<zeebe:calledDecision decisionId="=a +" resultVariable="r"/>')).toEqual([
      'zeebe:calledDecision.decisionId|Invalid FEEL expression in zeebe:calledDecision.decisionId: unexpected end of expression (expression: a +)',
    ]);
    expect(await problemsOf('<zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="deployment"/>')).toEqual([]);
  });
});
