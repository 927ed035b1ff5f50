import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { answerDecisions, MAX_DECISIONS_PER_STEP, type DeployedDecision } from '../../../engine/dmn/index.js';
import { startInstance } from '../../../engine/runtime/step.js';
import { testContext } from '../runtime/process-builder.js';
import { drgOf } from './dmn-fixtures.js';

async function processOf(file: string, id: string) {
  const xml = readFileSync(new URL(`../../fixtures/runtime/${file}`, import.meta.url), 'utf8');
  const { processes, problems } = await compile(xml, file);
  expect(problems).toEqual([]);
  return processes.find((p) => p.id === id)!;
}

const meta = { id: 'pi-1', definitionKey: 'def-1', version: 1 };
const order = { customer: { status: 'gold' }, lines: [{ price: 600, quantity: 2 }] };

describe('answerDecisions: a step with its decisions made, as the command path writes it', () => {
  it('evaluates what a business rule task asked for and runs on to the next wait state', async () => {
    // given: pricing (business-rule-task.bpmn) asks for `discount`, deployed as discount.dmn version 4
    const definition = await processOf('business-rule-task.bpmn', 'pricing');
    const deployed: DeployedDecision = { key: 'dec-4', decisionId: 'discount', version: 4, drg: await drgOf('discount.dmn') };
    const ctx = testContext();
    const asked: unknown[] = [];
    // when
    const result = await answerDecisions(definition, startInstance(definition, meta, order, ctx), ctx, async (effect) => {
      asked.push({ decisionId: effect.decisionId, binding: effect.binding });
      return deployed;
    });
    // then
    expect(asked).toEqual([{ decisionId: 'discount', binding: { type: 'latest' } }]);
    if (!result.ok) throw new Error('refused');
    expect(result.effects.map((e) => e.type)).not.toContain('EVALUATE_DECISION');
    expect(result.effects.filter((e) => e.type === 'CREATE_JOB')).toHaveLength(1);
    expect(result.state.elements['pi-1'].variables).toMatchObject({ discount: 0.15, percent: 15 });
    const audit = result.effects.find((e) => e.type === 'AUDIT' && e.event.type === 'DECISION_EVALUATED');
    expect(audit).toMatchObject({ event: { elementId: 'rate', payload: { decisionId: 'discount', decisionKey: 'dec-4', version: 4, result: 0.15 } } });
  });

  it('a decision that is not deployed leaves an incident on the task, and nothing else to answer', async () => {
    const definition = await processOf('business-rule-task.bpmn', 'pricing');
    const ctx = testContext();
    const result = await answerDecisions(definition, startInstance(definition, meta, order, ctx), ctx, async () => undefined);
    if (!result.ok) throw new Error('refused');
    expect(Object.values(result.state.incidents)).toEqual([expect.objectContaining({ type: 'CALLED_DECISION_NOT_FOUND', message: "Business rule task 'rate': No decision 'discount' is deployed" })]);
  });

  it('stops a process that loops through business rule tasks without a wait state, with an incident', async () => {
    // given: rate-again (business-rule-loop.bpmn) goes back to its business rule task (decision `unique`) at once, forever
    const definition = await processOf('business-rule-loop.bpmn', 'rate-again');
    const deployed: DeployedDecision = { key: 'dec-1', decisionId: 'unique', version: 1, drg: await drgOf('hit-policies.dmn') };
    const ctx = testContext();
    let evaluations = 0;
    // when
    const result = await answerDecisions(definition, startInstance(definition, meta, { amount: 10 }, ctx), ctx, async () => {
      evaluations++;
      return deployed;
    });
    // then
    expect(evaluations).toBe(MAX_DECISIONS_PER_STEP);
    if (!result.ok) throw new Error('refused');
    expect(Object.values(result.state.incidents)).toEqual([expect.objectContaining({ type: 'DECISION_EVALUATION_FAILED', elementId: 'rate', message: expect.stringContaining('loops through business rule tasks') })]);
  });
});
