/**
 * What Postgres can store as variables, checked before a write:
 *
 * - U+0000 in any string or key: Postgres cannot store it in text or jsonb.
 * - a lone UTF-16 surrogate (`"\ud800"` in JSON) in any string or key:
 *   jsonb refuses it ("Unicode low surrogate must follow a high surrogate"),
 *   and a text column would silently store U+FFFD instead.
 * - nesting deeper than MAX_JSON_DEPTH: a few thousand levels of `[[[…]]]`
 *   overflow a stack on the way to the database.
 * - the key `__proto__`: copying the object turns it into the prototype, so
 *   the variable would vanish silently.
 *
 * The walk is iterative, so the check itself cannot overflow. The API checks
 * request bodies with it (400); the service checks variables from in-process
 * workers with it too.
 */
import { WeftError } from '../errors.js';

export const MAX_JSON_DEPTH = 128;

/** With the u flag, only a surrogate that is not half of a pair matches. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** What is wrong with a string Postgres is to store, or null. */
export function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)';
  return null;
}

/** A name as it may be shown in a message: NUL and lone surrogates written as escapes. */
export function printable(name: string): string {
  return name.replace(/\u0000|\p{Surrogate}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface Finding {
  path: string;
  message: string;
}

export function findUnstorable(root: unknown, rootPath = ''): Finding | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const wrong = unstorableText(value);
      if (wrong) return { path, message: wrong };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      const wrongKey = unstorableText(key);
      if (wrongKey) return { path: printable(childPath), message: `names ${wrongKey}` };
      if (key === '__proto__') return { path: childPath, message: "'__proto__' is not allowed as a name" };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

/** Throws VARIABLES_INVALID naming the first value Postgres could not store. */
export function assertStorable(value: unknown, what: string): void {
  const found = findUnstorable(value, what);
  if (found) throw new WeftError('VARIABLES_INVALID', `'${found.path}' ${found.message}`, [found]);
}

/**
 * A deployed resource other than BPMN (forms, agent definitions) is stored as
 * text and, parsed, as jsonb: the text must be storable, and so must the JSON
 * it holds (`"\u0000"` and `"\ud800"` are plain ASCII in the text). Deep
 * nesting is refused before any handler walks it recursively.
 */
export function findUnstorableResource(text: string): Finding | null {
  const wrong = unstorableText(text);
  if (wrong) return { path: '', message: wrong };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null; // not JSON: the resource's handler says what it expected
  }
  return findUnstorable(parsed);
}
