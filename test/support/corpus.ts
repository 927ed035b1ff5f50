/**
 * Where the shared conformance corpus is: `shared/corpus` beside the
 * repository (how sessions and CI lay it out), or WEFT_CORPUS. Tests that
 * need it are skipped, with this reason, only where there is none.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [process.env.WEFT_CORPUS, fileURLToPath(new URL('../../../shared/corpus/', import.meta.url)), '/work/shared/corpus/'].filter(
  (p): p is string => Boolean(p),
);

/** Absolute path of the corpus folder, with a trailing slash; undefined when absent. */
export const CORPUS_DIR = candidates.map((p) => (p.endsWith('/') ? p : `${p}/`)).find((p) => existsSync(p));
