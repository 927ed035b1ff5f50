import { describe, expect, it } from 'vitest';
import { validateFormData, type FormSchema } from '../../../engine/features/people/form-validation.js';

/** One text field whose pattern backtracks catastrophically on a long run of "a" not followed by the end. */
const schema = {
  id: 'f',
  components: [{ type: 'textfield', key: 'code', validate: { pattern: '^(a+)+$' } }],
} as unknown as FormSchema;

describe('people: form field patterns', () => {
  it('stops a pattern that backtracks catastrophically at the time limit, naming the field', () => {
    // given: 2^40 ways to split the a's before the regular expression gives up
    const started = performance.now();
    // when
    const problems = validateFormData(schema, { code: `${'a'.repeat(40)}!` });
    // then
    expect(problems).toEqual([
      { path: 'code', message: 'Field pattern ^(a+)+$ could not be checked: it ran past the time limit of 20 ms (WEFT_FEEL_TIME_LIMIT_MS).' },
    ]);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('still checks patterns that answer quickly', () => {
    expect(validateFormData(schema, { code: 'aaaa' })).toEqual([]);
    expect(validateFormData(schema, { code: 'ab' }).map((p) => p.message)).toEqual(['Field must match pattern ^(a+)+$.']);
  });
});
