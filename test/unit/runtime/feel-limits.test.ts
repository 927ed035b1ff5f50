import { describe, expect, it } from 'vitest';
import { evaluateFeel } from '../../../engine/runtime/feel.js';
import { DEFAULT_FEEL_LIMITS, type FeelLimits } from '../../../engine/runtime/feel-limits.js';
import { model } from './process-builder.js';
import { scenario } from './scenario.js';

const NOW = '2026-01-01T00:00:00.000Z';
const recursion = (n: number) => `{ f: function(n) if n = 0 then 0 else 1 + f(n - 1) }.f(${n})`;
/** A string that doubles per step: 2^29 characters after 28 steps, for almost no work (V8 joins, it does not copy). */
const doubling = 'for i in 1..28 return if i = 1 then "ab" else partial[-1] + partial[-1]';

function timed(expression: string, context: Record<string, unknown> = {}, limits?: Partial<FeelLimits>) {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = evaluateFeel(expression, context, NOW, { ...DEFAULT_FEEL_LIMITS, ...limits });
  return { result, ms: performance.now() - started, heapMb: (process.memoryUsage().heapUsed - heapBefore) / 1e6 };
}

function failure(result: ReturnType<typeof evaluateFeel>): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.message;
}

describe('FEEL limits', () => {
  it('stops an evaluation that runs past the time limit, naming the expression and the limit', () => {
    // when: 4,000,000 iterations, each range small enough to pass the item limit (about 40 s unbounded)
    const { result, ms } = timed('count(for i in 1..2000, j in 1..2000 return i)');
    // then
    expect(failure(result)).toBe(
      "FEEL expression 'count(for i in 1..2000, j in 1..2000 return i)' was stopped: it ran past the time limit of 20 ms (WEFT_FEEL_TIME_LIMIT_MS)",
    );
    expect(ms).toBeLessThan(5000); // 20 ms when the machine is idle; stretched at most 2× (60 ms in all) when it is starved
  });

  it('stops a loop over lists from variables, which no size check sees', () => {
    // given
    const list = Array.from({ length: 2000 }, (_, i) => i);
    // when
    const { result, ms } = timed('count(for x in list, y in list return 1)', { list });
    // then
    expect(failure(result)).toMatch(/ran past the time limit of 20 ms/);
    expect(ms).toBeLessThan(5000);
  });

  it('stops a regular expression that backtracks catastrophically', () => {
    // when: V8 checks for termination while it backtracks (2^36 paths unbounded)
    const { result, ms } = timed('matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")');
    // then
    expect(failure(result)).toMatch(/ran past the time limit of 20 ms/);
    expect(ms).toBeLessThan(5000);
  });

  it('refuses a huge range before allocating it', () => {
    // when
    const { result, ms, heapMb } = timed('count(for i in 1..100000000 return i)');
    // then
    expect(failure(result)).toBe(
      "FEEL expression 'count(for i in 1..100000000 return i)' was stopped: a range of 100000000 items exceeds the limit of 100000 items (WEFT_FEEL_MAX_ITEMS)",
    );
    expect(ms).toBeLessThan(200);
    expect(heapMb).toBeLessThan(50); // 10^8 numbers would be 800 MB
  });

  it('refuses the range of the issue, 1..3000000, at once rather than when time runs out', () => {
    // when
    const { result } = timed('count(for i in 1..3000000 return i)', {}, { timeMs: 60_000 });
    // then
    expect(failure(result)).toMatch(/a range of 3000000 items exceeds the limit of 100000 items/);
  });

  it('refuses a range whose bounds come from variables', () => {
    // when
    const { result } = timed('for i in from..to return i', { from: 1, to: 5_000_000 });
    // then
    expect(failure(result)).toMatch(/a range of 5000000 items exceeds the limit of 100000 items \(WEFT_FEEL_MAX_ITEMS\)/);
  });

  it('refuses a range that never reaches its end (feelin steps by one until it meets the end)', () => {
    // when
    const { result } = timed('for i in 1..2.5 return i', {}, { timeMs: 60_000 });
    // then
    expect(failure(result)).toMatch(/the range \[1\.\.2\.5\] \(it never reaches its end\) exceeds the limit of 100000 items/);
  });

  it('stops deep recursion in a user function at the depth limit', () => {
    // when
    const { result } = timed(recursion(100_000), {}, { timeMs: 60_000 });
    // then
    expect(failure(result)).toBe(
      `FEEL expression '${recursion(100_000)}' was stopped: a chain of nested function calls exceeds the limit of 200 nested calls (WEFT_FEEL_MAX_DEPTH)`,
    );
  });

  it('turns a stack overflow into a failure when the depth limit is set above what the stack holds', () => {
    // when
    const { result } = timed(recursion(100_000), {}, { timeMs: 60_000, maxDepth: 1_000_000 });
    // then
    expect(failure(result)).toMatch(/was stopped: its calls nest too deeply for the stack \(limit of 1000000 nested calls \(WEFT_FEEL_MAX_DEPTH\)\)/);
  });

  it('refuses a string past the limit before a function reads it', () => {
    // when
    const { result, ms } = timed(`string length((${doubling})[28])`, {}, { timeMs: 60_000 });
    // then
    expect(failure(result)).toMatch(/an argument of 268435456 characters exceeds the limit of 1000000 characters \(WEFT_FEEL_MAX_STRING_LENGTH\)/);
    expect(ms).toBeLessThan(5000);
  });

  it('refuses a result past the size limits', () => {
    // when
    const longString = timed(`(${doubling})[21]`, {}, { timeMs: 60_000 });
    const sharedList = timed('(for i in 1..30 return if i = 1 then [1] else [partial[-1], partial[-1]])[30]', {}, { timeMs: 60_000 });
    // then
    expect(failure(longString.result)).toMatch(/a result string of 2097152 characters exceeds the limit of 1000000 characters/);
    expect(failure(sharedList.result)).toMatch(/a result of more than 100000 values exceeds the limit of 100000 items/);
  });

  it('bounds the size of expressions that run without the time bound (no loops, only linear builtins)', () => {
    // given
    const text = 'x'.repeat(600_000);
    // when
    const { result } = timed('concatenate(a, a)', { a: Array.from({ length: 60_000 }, () => 1) }, { timeMs: 60_000 });
    const joined = timed('text + text', { text });
    // then
    expect(failure(result)).toMatch(/a function result of 120000 items exceeds the limit of 100000 items/);
    expect(failure(joined.result)).toMatch(/a result string of 1200000 characters exceeds the limit of 1000000 characters/);
  });

  it('leaves ordinary expressions alone', () => {
    // then
    expect(timed(recursion(50)).result).toEqual({ ok: true, value: 50 });
    expect(timed('sum(for i in 1..1000 return i)').result).toEqual({ ok: true, value: 500500 });
    expect(timed('string join(for c in "a".."e" return upper case(c), "")').result).toEqual({ ok: true, value: 'ABCDE' });
    expect(timed('now() + duration("P1D")').result).toEqual({ ok: true, value: '2026-01-02T00:00:00Z' });
  });

  it('opens an incident naming the expression when a script task breaches a limit', () => {
    // given
    const definition = model('p')
      .add('start', 'startEvent')
      .add('calc', 'scriptTask', { expression: 'count(for i in 1..3000000 return i)', resultVariable: 'n' })
      .add('end', 'endEvent')
      .chain('start', 'calc', 'end')
      .build();
    // when
    const s = scenario(definition).start();
    // then
    expect(s.incident()).toMatchObject({
      type: 'EXPRESSION_FAILED',
      elementId: 'calc',
      message: expect.stringMatching(/^FEEL expression 'count\(for i in 1\.\.3000000 return i\)' was stopped: a range of 3000000 items exceeds the limit of 100000 items/),
    });
  });
});
