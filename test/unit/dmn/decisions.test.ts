import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../../engine/dmn/index.js';
import { drgOf, NOW, resultOf } from './dmn-fixtures.js';

describe('DMN: literal expressions, outputs and defaults', async () => {
  // defaults.dmn: shipping (two outputs, a default carrier, an empty price cell), greeting (a literal expression)
  const drg = await drgOf('defaults.dmn');

  it('a literal expression gives its value', () => {
    expect(resultOf(drg, 'greeting', { customer: { name: 'Ann' } })).toBe('Hello Ann');
  });

  it('a table with several outputs gives a context; an empty output cell is null', () => {
    expect(resultOf(drg, 'shipping', { parcel: { weight: 40 }, zone: 'US' })).toEqual({ carrier: 'freight', price: 80 });
    expect(resultOf(drg, 'shipping', { parcel: { weight: 5 }, zone: 'CH' })).toEqual({ carrier: 'courier', price: null });
  });

  it('when no rule matches, the outputs\' defaults are the result (null where an output has none)', () => {
    // when
    const evaluation = evaluateDecision(drg, 'shipping', { parcel: { weight: 5 }, zone: 'EU' }, NOW);
    // then
    expect(evaluation).toMatchObject({ ok: true, result: { carrier: 'post', price: null }, matchedRules: [] });
  });

  it('reports the inputs it read and the rules that matched', () => {
    const evaluation = evaluateDecision(drg, 'shipping', { parcel: { weight: 40 }, zone: 'EU' }, NOW);
    expect(evaluation.ok && evaluation.evaluatedDecisions).toEqual([
      {
        decisionId: 'shipping',
        decisionName: 'Shipping',
        decisionType: 'DECISION_TABLE',
        result: { carrier: 'freight', price: 80 },
        inputs: [
          { inputId: 'weight', inputName: 'Weight (kg)', value: 40 },
          { inputId: 'zone', inputName: 'Zone', value: 'EU' },
        ],
        matchedRules: [{ ruleId: 'heavy', ruleIndex: 1, outputs: { carrier: 'freight', price: 80 } }],
      },
    ]);
  });
});

describe('DMN: required decisions', async () => {
  // discount.dmn: discount (table) requires orderTotal (literal, variable name "total"); summary requires both
  const drg = await drgOf('discount.dmn');
  const order = { customer: { status: 'gold' }, lines: [{ price: 600, quantity: 2 }] };

  it('are evaluated first, and their results are visible by decision id', () => {
    expect(resultOf(drg, 'discount', order)).toBe(0.15);
    expect(resultOf(drg, 'discount', { ...order, lines: [{ price: 10, quantity: 1 }] })).toBe(0.1);
    expect(resultOf(drg, 'discount', { ...order, customer: { status: 'silver' } })).toBe(0);
  });

  it('are visible by their variable name too, and each is evaluated once however many decisions require it', () => {
    // when
    const evaluation = evaluateDecision(drg, 'summary', order, NOW);
    // then
    expect(evaluation).toMatchObject({ ok: true, result: { total: 1200, discount: 0.15, toPay: 1020 } });
    expect(evaluation.evaluatedDecisions.map((d) => d.decisionId)).toEqual(['orderTotal', 'discount', 'summary']);
  });

  it('a decision that is not in the file is a failure naming it', () => {
    const evaluation = evaluateDecision(drg, 'nope', {}, NOW);
    expect(evaluation).toMatchObject({ ok: false, failure: { decisionId: 'nope', message: "Decision 'nope' is not in decision requirements 'discount-rules'" } });
  });
});
