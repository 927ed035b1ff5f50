/** The shared corpus (see test/support/corpus.ts for where it is looked for). */
import { readFileSync } from 'node:fs';
import { CORPUS_DIR } from '../../support/corpus.js';

/** Tests that read the corpus are skipped, with this as the reason, where there is none. */
export const HAVE_CORPUS = CORPUS_DIR !== undefined;

/** A corpus file's text, by its path under the corpus (`camunda7/…`, `miwg/…`). */
export function readCorpus(path: string): string {
  if (!CORPUS_DIR) throw new Error('The shared corpus is not beside the repository (set WEFT_CORPUS)');
  return readFileSync(CORPUS_DIR + path, 'utf8');
}
