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
import { findUnstorable } from '../persistence/storable.js';

export { findUnstorable, MAX_JSON_DEPTH } from '../persistence/storable.js';

/** After express.json: checks the parsed body (not raw uploads) and the query string. */
export const jsonGuard: RequestHandler = (req, _res, next) => {
  const body = req.body as unknown;
  const inBody = body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? findUnstorable(body) : null;
  const found = findUnstorable(req.query) ?? inBody;
  if (found) throw new WeftError('BAD_REQUEST', `Invalid request: '${found.path}' ${found.message}`, [found]);
  next();
};
