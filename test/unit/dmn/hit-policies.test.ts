import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../../engine/dmn/index.js';
import { drgOf, NOW, resultOf } from './dmn-fixtures.js';

// hit-policies.dmn: one table per hit policy over `amount`; tiers are >= 100 high (3 points), >= 50 medium (2), else low (1).
describe('DMN: hit policies', async () => {
  const drg = await drgOf('hit-policies.dmn');

  it('UNIQUE gives the one matching rule\'s output', () => {
    expect(resultOf(drg, 'unique', { amount: 10 })).toBe('low');
    expect(resultOf(drg, 'unique', { amount: 75 })).toBe('medium');
    expect(resultOf(drg, 'unique', { amount: 100 })).toBe('high');
  });

  it('UNIQUE with two matching rules fails, naming both', () => {
    // when
    const evaluation = evaluateDecision(drg, 'unique-overlap', { amount: 30 }, NOW);
    // then
    expect(evaluation.ok).toBe(false);
    if (evaluation.ok) return;
    expect(evaluation.failure).toMatchObject({ decisionId: 'unique-overlap', rule: { id: 'unique-overlap-r1', index: 1 } });
    expect(evaluation.failure.message).toBe(
      'Decision \'unique-overlap\' could not be evaluated: hit policy UNIQUE allows one matching rule, but rule 1 ("unique-overlap-r1"), rule 2 ("unique-overlap-r2") match',
    );
    expect(resultOf(drg, 'unique-overlap', { amount: 15 })).toBe('a');
  });

  it('FIRST gives the first matching rule, top to bottom', () => {
    expect(resultOf(drg, 'first', { amount: 120 })).toBe('high');
    expect(resultOf(drg, 'first', { amount: 60 })).toBe('medium');
    expect(resultOf(drg, 'first', { amount: 1 })).toBe('low');
    const evaluation = evaluateDecision(drg, 'first', { amount: 120 }, NOW);
    expect(evaluation.ok && evaluation.matchedRules.map((r) => r.ruleId)).toEqual(['first-r1']);
  });

  it('PRIORITY gives the match whose output comes first in the output values, whatever the rule order', () => {
    expect(resultOf(drg, 'priority', { amount: 120 })).toBe('high');
    expect(resultOf(drg, 'priority', { amount: 60 })).toBe('medium');
    expect(resultOf(drg, 'priority', { amount: 1 })).toBe('low');
  });

  it('ANY accepts several matches with equal outputs, and fails on different ones', () => {
    expect(resultOf(drg, 'any', { amount: 22 })).toBe('ok');
    const evaluation = evaluateDecision(drg, 'any', { amount: 30 }, NOW);
    expect(!evaluation.ok && evaluation.failure.message).toMatch(/hit policy ANY allows several matching rules only with equal outputs, but rule 1 \("any-r1"\), rule 2 \("any-r2"\), rule 3 \("any-r3"\) match/);
  });

  it('COLLECT gives every match in rule order, or their SUM, MIN, MAX or COUNT', () => {
    expect(resultOf(drg, 'collect', { amount: 120 })).toEqual([3, 2, 1]);
    expect(resultOf(drg, 'collect', { amount: 60 })).toEqual([2, 1]);
    expect(resultOf(drg, 'collect-sum', { amount: 120 })).toBe(6);
    expect(resultOf(drg, 'collect-min', { amount: 120 })).toBe(1);
    expect(resultOf(drg, 'collect-max', { amount: 120 })).toBe(3);
    expect(resultOf(drg, 'collect-count', { amount: 60 })).toBe(2);
  });

  it('RULE ORDER with two outputs gives a context per match, in rule order', () => {
    expect(resultOf(drg, 'rule-order', { amount: 60 })).toEqual([
      { level: 'medium', points: 2 },
      { level: 'low', points: 1 },
    ]);
  });

  it('OUTPUT ORDER gives every match sorted by the output values', () => {
    expect(resultOf(drg, 'output-order', { amount: 120 })).toEqual(['high', 'medium', 'low']);
    expect(resultOf(drg, 'output-order', { amount: 60 })).toEqual(['medium', 'low']);
  });

  it('without a match (and no default) the result is null, for single and multiple hit policies alike, as in Camunda 8', () => {
    expect(resultOf(drg, 'unique-overlap', { amount: 1 })).toBeNull();
    expect(resultOf(drg, 'collect-rare', { amount: 1 })).toBeNull();
    expect(resultOf(drg, 'collect-rare', { amount: 2000 })).toBe(1);
    const none = evaluateDecision(drg, 'any', { amount: 1 }, NOW);
    expect(none.ok && none.result).toBeNull();
  });
});
