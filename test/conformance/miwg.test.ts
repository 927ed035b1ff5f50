/**
 * The 21 OMG BPMN MIWG reference models (../shared/corpus/miwg): each one
 * deploys, or is refused with problems that name exactly the elements of
 * the kinds Weft does not execute — no false follow-on problem, none
 * missed. What Weft executes is listed in supported-kinds.ts; which of a
 * file's elements are expected to be named is read from the file itself
 * (harness/bpmn-kinds.ts), independently of the compiler.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../engine/model/index.js';
import { CORPUS_DIR } from '../support/corpus.js';
import { judge, unsupportedElements } from './harness/bpmn-kinds.js';
import { readCorpus } from './harness/corpus.js';
import { miwgCase } from './harness/expectation.js';

export const MIWG_FILES = [
  'A.1.0', 'A.2.0', 'A.2.1', 'A.3.0', 'A.4.0', 'A.4.1', 'B.1.0', 'B.2.0', 'C.1.0', 'C.1.1', 'C.2.0',
  'C.3.0', 'C.4.0', 'C.5.0', 'C.6.0', 'C.7.0', 'C.8.0', 'C.8.1', 'C.9.0', 'C.9.1', 'C.9.2',
].map((name) => `${name}.bpmn`);

describe('MIWG reference models: deploy, or refused naming exactly what Weft does not execute', () => {
  it.skipIf(!CORPUS_DIR)('the corpus holds exactly these 21 reference models', () => {
    expect(readdirSync(`${CORPUS_DIR}miwg`).filter((f) => f.endsWith('.bpmn')).sort()).toEqual(MIWG_FILES);
  });

  for (const file of MIWG_FILES) {
    miwgCase(file, '— deploys, or the problems name exactly its unsupported elements', async () => {
      const xml = readCorpus(`miwg/${file}`);
      const expected = await unsupportedElements(xml);
      const { processes, problems } = await compile(xml, file);
      const { missing, extra } = judge(expected, problems);
      const differences = [...missing.map((m) => `not named: ${m}`), ...extra.map((e) => `also refused: ${e}`)];
      const count = `${differences.length} difference${differences.length === 1 ? '' : 's'}`;
      if (differences.length > 0) throw new Error(`${count} from "refused naming exactly its unsupported elements":\n${differences.join('\n')}`);
      if (expected.length > 0) return `refused, naming exactly its ${expected.length} unsupported elements (${[...new Set(expected.flatMap((e) => e.kinds))].join(', ')})`;
      expect(processes.length).toBeGreaterThan(0);
      return `deploys (${processes.map((p) => p.id).join(', ')})`;
    });
  }
});
