/**
 * What Postgres can store as variables, checked before a write:
 *
 * - U+0000 in any string or key: Postgres cannot store it in text or jsonb.
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

interface Finding {
  path: string;
  message: string;
}

export function findUnstorable(root: unknown, rootPath = ''): Finding | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, message: 'must not contain the NUL character (\\u0000)' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { path, message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { path: childPath.replace(/\u0000/g, '\\u0000'), message: 'names must not contain the NUL character (\\u0000)' };
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
