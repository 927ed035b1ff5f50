import { describe, expect, it } from 'vitest';
import { evaluateUnaryTests } from '../../../engine/runtime/feel.js';

const NOW = '2026-12-02T10:00:00.000Z';
const test = (tests: string, input: unknown, context: Record<string, unknown> = {}) => evaluateUnaryTests(tests, input, context, NOW);

describe('evaluateUnaryTests (a decision table\'s input entries)', () => {
  it('tests the input value against comparisons, lists, ranges, negations and "-"', () => {
    expect(test('>= 10', 12)).toEqual({ ok: true, value: true });
    expect(test('"gold","silver"', 'bronze')).toEqual({ ok: true, value: false });
    expect(test('[1..5]', 3)).toEqual({ ok: true, value: true });
    expect(test('not("a")', 'b')).toEqual({ ok: true, value: true });
    expect(test('-', null)).toEqual({ ok: true, value: true });
    expect(test('< limit', 3, { limit: 5 })).toEqual({ ok: true, value: true });
    expect(test('? > 2 and ? < 4', 3)).toEqual({ ok: true, value: true });
  });

  it('an input of another type does not match (no failure)', () => {
    expect(test('> 3', 'abc')).toEqual({ ok: true, value: false });
    expect(test('> 3', null)).toEqual({ ok: true, value: false });
  });

  it('a test that reads a variable or calls a function that is not there fails, naming it', () => {
    expect(test('< limit', 3)).toEqual({ ok: false, message: "FEEL unary tests '< limit' could not be evaluated: Variable 'limit' not found" });
    expect(test('frob(?)', 3)).toMatchObject({ ok: false, message: expect.stringContaining("Variable 'frob' not found") });
  });

  it('runs under the FEEL time bound', () => {
    const result = test('count(for i in 1..2000, j in 1..2000 return i) > 0', 1);
    expect(result).toEqual({ ok: false, message: "FEEL unary tests 'count(for i in 1..2000, j in 1..2000 return i) > 0' was stopped: it ran past the time limit of 20 ms (WEFT_FEEL_TIME_LIMIT_MS)" });
  });

  it('reads now() from the clock it is given', () => {
    expect(test('< now()', '2026-12-01T00:00:00Z')).toMatchObject({ ok: true });
    expect(test('< today()', null)).toEqual({ ok: true, value: false });
  });
});
