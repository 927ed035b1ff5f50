import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../../engine/dmn/index.js';
import { drgOf, NOW, resultOf } from './dmn-fixtures.js';

// failures.dmn: approval (FIRST over order.amount; rule 2 compares with `limit`; rule 3 upper-cases order.owner, which may be missing),
// fees (COLLECT SUM with a string output), routing (a literal expression requiring approval).
describe('DMN: a decision that cannot be evaluated says which decision, rule, input or output, and why', async () => {
  const drg = await drgOf('failures.dmn');

  it('evaluates when the variables are there', () => {
    expect(resultOf(drg, 'approval', { order: { amount: 50 } })).toBe('nobody');
    expect(resultOf(drg, 'approval', { order: { amount: 500 }, limit: 1000 })).toBe('manager');
    expect(resultOf(drg, 'approval', { order: { amount: 5000, owner: 'ann' }, limit: 1000 })).toBe('ANN');
  });

  it('an input expression that reads a missing variable names the input', () => {
    // when
    const evaluation = evaluateDecision(drg, 'approval', { amount: 50 }, NOW);
    // then
    expect(evaluation).toMatchObject({ ok: false, failure: { decisionId: 'approval', input: { id: 'amount', name: 'Order amount' } } });
    expect(!evaluation.ok && evaluation.failure.message).toBe(
      "Decision 'approval' could not be evaluated: input \"Order amount\" (order.amount): FEEL expression 'order.amount' evaluated to null: Variable 'order' not found; Property 'amount' not found in 'null'",
    );
  });

  it('an input entry that reads a missing variable names the rule and the input', () => {
    // when
    const evaluation = evaluateDecision(drg, 'approval', { order: { amount: 500 } }, NOW);
    // then
    expect(evaluation).toMatchObject({ ok: false, failure: { decisionId: 'approval', rule: { id: 'within-limit', index: 2 }, input: { id: 'amount' } } });
    expect(!evaluation.ok && evaluation.failure.message).toBe(
      "Decision 'approval' could not be evaluated: rule 2 (\"within-limit\"), input \"Order amount\" (order.amount): FEEL unary tests '<= limit' could not be evaluated: Variable 'limit' not found",
    );
  });

  it('an output entry that fails names the rule and the output', () => {
    const evaluation = evaluateDecision(drg, 'approval', { order: { amount: 5000 }, limit: 1000 }, NOW);
    expect(evaluation).toMatchObject({ ok: false, failure: { rule: { id: 'named', index: 3 }, output: { id: 'approver', name: 'approver' } } });
    expect(!evaluation.ok && evaluation.failure.message).toMatch(/^Decision 'approval' could not be evaluated: rule 3 \("named"\), output "approver": FEEL expression 'upper case\(order.owner\)' evaluated to null/);
  });

  it('COLLECT SUM over a value that is not a number names the rule', () => {
    expect(resultOf(drg, 'fees', { country: 'DE' })).toBe(5);
    const evaluation = evaluateDecision(drg, 'fees', { country: 'FR' }, NOW);
    expect(evaluation).toMatchObject({ ok: false, failure: { decisionId: 'fees', rule: { id: 'abroad-fee', index: 2 } } });
    expect(!evaluation.ok && evaluation.failure.message).toBe('Decision \'fees\' could not be evaluated: COLLECT SUM adds up numbers, but rule 2 ("abroad-fee") gives "ten"');
  });

  it('a required decision that fails names it, and the decision that required it', () => {
    // when
    const evaluation = evaluateDecision(drg, 'routing', { order: { amount: 500 } }, NOW);
    // then
    expect(evaluation).toMatchObject({ ok: false, decisionId: 'routing', failure: { decisionId: 'approval', rule: { id: 'within-limit' } } });
    expect(!evaluation.ok && evaluation.failure.message).toMatch(/^Decision 'approval' \(required by 'routing'\) could not be evaluated: rule 2/);
    expect(resultOf(drg, 'routing', { order: { amount: 5 } })).toBe('queue-nobody');
  });

  it('an expression that runs past the FEEL bounds fails instead of holding the engine', () => {
    const evaluation = evaluateDecision(drg, 'approval', { order: { amount: 5000, owner: 'x'.repeat(2_000_000) }, limit: 1 }, NOW);
    expect(!evaluation.ok && evaluation.failure.message).toMatch(/rule 3 \("named"\), output "approver": .*limit of 1000000 characters/);
  });
});
