/**
 * `npm run conformance`: runs the conformance tests (test/conformance: the
 * compiler and the pure step function, no Postgres, no Redis) and prints the
 * outcome of each entry of the corpus's EXPECTATIONS.md and of each MIWG
 * reference model, then one JSON line with the figures:
 *
 *   {"expectations": 82, "passed": N, "miwg": 21, "miwgAsExpected": M}
 *
 * "passed" counts entries whose test passes and that are not known gaps
 * (test/conformance/known-gaps.ts); a known gap is printed with its reason
 * and how it failed. Exits 1 when a conformance test is red (a regression,
 * or a gap that passes now and must come off the list) or an entry has no
 * test.
 */
import { readFileSync } from 'node:fs';
import { startVitest, type Reporter, type TestCase } from 'vitest/node';
import { CORPUS_DIR } from '../test/support/corpus.js';
import type { ConformanceMeta } from '../test/conformance/harness/expectation.js';
import { withoutColours } from '../test/conformance/harness/plain-text.js';

interface Outcome {
  title: string;
  state: string;
  meta: ConformanceMeta;
  error?: string;
}

if (!CORPUS_DIR) {
  console.error('The shared corpus is not beside the repository (../shared/corpus); set WEFT_CORPUS to its folder.');
  process.exit(2);
}

const outcomes: Outcome[] = [];
const collector: Reporter = {
  onTestCaseResult(test: TestCase) {
    const meta = test.meta().conformance;
    if (!meta) return;
    const result = test.result();
    const error = result.state === 'failed' ? firstLine(result.errors?.[0]?.message) : undefined;
    outcomes.push({ title: test.name, state: result.state, meta, error });
  },
};

// No config file: its global setup builds the browser pages, which these tests do not need.
const vitest = await startVitest('test', ['test/conformance/'], {
  config: false,
  watch: false,
  include: ['test/conformance/**/*.test.ts'],
  reporters: [collector],
  pool: 'forks',
  maxWorkers: 2,
  testTimeout: 30_000,
});
await vitest.close();

const entries = readEntries(readFileSync(`${CORPUS_DIR}EXPECTATIONS.md`, 'utf8'));
let red = 0;

console.log(`EXPECTATIONS.md (${entries.length} entries)`);
let passed = 0;
for (const entry of entries) {
  const found = outcomes.filter((o) => o.meta.kind === 'expectation' && o.meta.id === String(entry.n));
  const line = verdict(found, 'passed');
  if (line.ok) passed++;
  if (line.red) red++;
  console.log(`  #${String(entry.n).padEnd(3)} ${entry.file.padEnd(60)} ${line.text}`);
}

const miwg = outcomes.filter((o) => o.meta.kind === 'miwg').sort((a, b) => a.meta.id.localeCompare(b.meta.id));
console.log(`\nMIWG reference models (${miwg.length})`);
let asExpected = 0;
for (const outcome of miwg) {
  const line = verdict([outcome], 'as expected');
  if (line.ok) asExpected++;
  if (line.red) red++;
  console.log(`  ${outcome.meta.id.padEnd(12)} ${line.text}`);
}

const figures = { expectations: entries.length, passed, miwg: miwg.length, miwgAsExpected: asExpected };
console.log(`{${Object.entries(figures).map(([key, value]) => `"${key}": ${value}`).join(', ')}}`);
process.exit(red > 0 ? 1 : 0);

/** One entry's line: passed, a known gap (with its reason and how it failed), or red. */
function verdict(found: Outcome[], success: string): { ok: boolean; red: boolean; text: string } {
  if (found.length !== 1) return { ok: false, red: true, text: found.length === 0 ? 'NO TEST' : `${found.length} TESTS (one expected)` };
  const [outcome] = found;
  if (outcome.state === 'failed') return { ok: false, red: true, text: `FAILED: ${outcome.error ?? ''}` };
  if (outcome.state !== 'passed') return { ok: false, red: false, text: outcome.state };
  if (outcome.meta.gap === undefined) return { ok: true, red: false, text: outcome.meta.detail ? `${success}: ${outcome.meta.detail}` : success };
  const how = outcome.meta.failure ? `\n${' '.repeat(8)}${outcome.meta.failure.split('\n').slice(0, 4).join(`\n${' '.repeat(8)}`)}` : '';
  return { ok: false, red: false, text: `gap: ${outcome.meta.gap}${how}` };
}

/** The numbered entries of EXPECTATIONS.md with the file each is about (folder from the section heading). */
function readEntries(markdown: string): { n: number; file: string }[] {
  const entries: { n: number; file: string }[] = [];
  let folder = '';
  for (const line of markdown.split('\n')) {
    const section = /^## (\S+\/)/.exec(line);
    if (section) folder = section[1];
    const entry = /^(\d+)\. \*\*([^*]+)\*\*/.exec(line);
    if (entry) entries.push({ n: Number(entry[1]), file: folder + entry[2] });
  }
  return entries;
}

function firstLine(message: string | undefined): string {
  return withoutColours(message ?? '').split('\n')[0];
}
