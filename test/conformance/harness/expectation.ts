/**
 * `expectation(n, title, fn)` is the test of entry `n` of the corpus's
 * EXPECTATIONS.md; `miwgCase(file, fn)` the check of one MIWG reference file.
 *
 * Both are real tests of the behaviour, also where Weft cannot show it yet.
 * Those are listed in known-gaps.ts with the reason, and for a listed one
 * the test asserts that `fn` FAILS: `npm test` stays green, and a gap that
 * starts to pass turns its test red until it is taken off the list, so the
 * list cannot rot. A TypeError or ReferenceError is a bug in the test or the
 * harness, never a gap: it fails the test either way.
 *
 * What happened is kept in the test's meta (`conformance`), from which
 * `npm run conformance` (scripts/conformance.ts) prints its report.
 */
import { it } from 'vitest';
import { KNOWN_GAPS, MIWG_KNOWN_GAPS } from '../known-gaps.js';
import { HAVE_CORPUS } from './corpus.js';
import { withoutColours } from './plain-text.js';

export interface ConformanceMeta {
  kind: 'expectation' | 'miwg';
  /** Entry number, or MIWG file name. */
  id: string;
  /** The reason known-gaps.ts gives, for a listed gap. */
  gap?: string;
  /** How the listed gap failed this time (first lines of the error). */
  failure?: string;
  /** What a passing check found, when its body says (a string it returns). */
  detail?: string;
}

declare module 'vitest' {
  interface TaskMeta {
    conformance?: ConformanceMeta;
  }
}

/** The test's body; a string it returns is kept as the outcome's detail. */
type Body = () => unknown | Promise<unknown>;

/** The test of EXPECTATIONS.md entry `n`; `title` starts with the corpus file, e.g. `ReceiveTaskTest.testWaitStateBehavior — …`. */
export function expectation(n: number, title: string, fn: Body): void {
  checked({ kind: 'expectation', id: String(n) }, `#${n} ${title}`, KNOWN_GAPS[n], fn);
}

/** The check of MIWG reference file `file` (e.g. `A.1.0.bpmn`). */
export function miwgCase(file: string, title: string, fn: Body): void {
  checked({ kind: 'miwg', id: file }, `${file} ${title}`, MIWG_KNOWN_GAPS[file], fn);
}

function checked(meta: ConformanceMeta, title: string, gap: string | undefined, fn: Body): void {
  it.skipIf(!HAVE_CORPUS)(title, async ({ task }) => {
    task.meta.conformance = gap === undefined ? meta : { ...meta, gap };
    if (gap === undefined) {
      const detail = await fn();
      if (typeof detail === 'string') task.meta.conformance.detail = detail;
      return;
    }
    let failure: unknown;
    try {
      await fn();
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) {
      throw new Error(`${title.split(' ')[0]} is listed in test/conformance/known-gaps.ts ("${gap}") but passes now: take it off the list`);
    }
    if (failure instanceof TypeError || failure instanceof ReferenceError) throw failure;
    task.meta.conformance.failure = describe(failure);
  });
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // An assertion's message ends in a long diff; the first lines say what failed.
  const lines = withoutColours(text).split('\n');
  return lines.length > 6 ? [...lines.slice(0, 5), `… ${lines.length - 5} more lines`].join('\n') : lines.join('\n');
}
