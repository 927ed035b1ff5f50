/**
 * Refuses JSON bodies and query strings that would only fail deep inside a
 * write, as a 400 naming where the problem is:
 *
 * - U+0000 in any string or key: Postgres cannot store it in text or jsonb
 *   ("unsupported Unicode escape sequence"), which surfaced as a 500.
 * - nesting deeper than MAX_JSON_DEPTH: a few thousand levels of `[[[…]]]`
 *   fit in the 1 MB body limit and overflowed a stack on the way to the
 *   database (a 500 again).
 * - the key `__proto__`: JSON.parse keeps it as a plain key, but copying the
 *   object (zod, the variable scopes) turns it into the prototype, so the
 *   variable vanished silently and its fields became visible as inherited ones.
 *
 * The walk is iterative, so the guard itself cannot overflow.
 */
import type { RequestHandler } from 'express';
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

/** After express.json: checks the parsed body (not raw uploads) and the query string. */
export const jsonGuard: RequestHandler = (req, _res, next) => {
  const body = req.body as unknown;
  const inBody = body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? findUnstorable(body) : null;
  const found = findUnstorable(req.query) ?? inBody;
  if (found) throw new WeftError('BAD_REQUEST', `Invalid request: '${found.path}' ${found.message}`, [found]);
  next();
};
