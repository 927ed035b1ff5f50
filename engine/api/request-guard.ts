/**
 * The one check every request input passes before any route handler reads
 * it: the path, the query string, the headers handlers read and the parsed
 * body. A problem is a 400 naming the part (`in`: path, query, header, body)
 * and where in it (`path`), never a 500 from deep inside a handler:
 *
 * - malformed percent-encoding in the path or the query string
 *   (`/process-instances/%E0%A4%A`): the router's decoding threw a URIError,
 *   which left as a 500. `%ED%A0%80` (a surrogate's UTF-8) is malformed too.
 * - U+0000 anywhere, and lone UTF-16 surrogates (`"\ud800"` in JSON): Postgres
 *   cannot store either (see persistence/storable.ts); a path parameter with
 *   `%00` reached a `WHERE name = …` and failed there.
 * - JSON nested deeper than MAX_JSON_DEPTH, and the key `__proto__`.
 *
 * Mounted on /api after the JSON parser, and by the routes outside /api that
 * take input (sign-in). Uploads parsed inside a route (multipart deployments)
 * pass their file names through `guardParts` themselves.
 */
import type { Request, RequestHandler } from 'express';
import { WeftError } from '../errors.js';
import { findUnstorable, printable, unstorableText } from '../persistence/storable.js';

export type RequestPart = 'path' | 'query' | 'header' | 'body';

export interface GuardFinding {
  in: RequestPart;
  path: string;
  message: string;
}

/**
 * Headers some handler reads (auth, CSRF, sessions, sign-in's origin check,
 * deployments' resource name). Node's HTTP parser already refuses NUL and
 * other control bytes in header values; the check keeps them to the same
 * rules if Weft is ever mounted behind something more lenient.
 */
const READ_HEADERS = ['authorization', 'cookie', 'x-csrf-token', 'content-type', 'origin', 'host', 'x-forwarded-proto', 'x-resource-name'];

const PART_NAMES: Record<RequestPart, string> = { path: 'path segment', query: 'query parameter', header: 'header', body: 'body field' };

export const requestGuard: RequestHandler = (req, _res, next) => {
  const found = checkPath(req) ?? checkQuery(req) ?? checkHeaders(req) ?? checkBody(req.body);
  if (found) throw guardError(found);
  next();
};

/** For inputs parsed after the guard ran (multipart uploads): throws the guard's 400 for the first bad one. */
export function guardParts(part: RequestPart, values: { path: string; value: string }[]): void {
  for (const { path, value } of values) {
    const wrong = unstorableText(value);
    if (wrong) throw guardError({ in: part, path: printable(path), message: wrong });
  }
}

function guardError(found: GuardFinding): WeftError {
  const where = found.path === '' ? found.in : `${PART_NAMES[found.in]} '${found.path}'`;
  return new WeftError('BAD_REQUEST', `Invalid request: ${where} ${found.message}`, [found]);
}

/** The whole path as sent (not the mount-relative req.path), so a message can quote it. */
function checkPath(req: Request): GuardFinding | null {
  const raw = req.originalUrl.split('?')[0];
  for (const segment of raw.split('/')) {
    const decoded = decode(segment);
    if (decoded === null) return { in: 'path', path: segment, message: 'is not valid percent-encoding (UTF-8)' };
    const wrong = unstorableText(decoded);
    if (wrong) return { in: 'path', path: printable(decoded), message: wrong };
  }
  return null;
}

/** Express's query parser decodes leniently (bad escapes become U+FFFD); refuse them as the path does. */
function checkQuery(req: Request): GuardFinding | null {
  const index = req.originalUrl.indexOf('?');
  if (index >= 0) {
    for (const pair of req.originalUrl.slice(index + 1).split('&')) {
      const [name, ...value] = pair.split('=');
      if (decode(name.replace(/\+/g, ' ')) === null) return { in: 'query', path: name, message: 'has a name that is not valid percent-encoding (UTF-8)' };
      if (decode(value.join('=').replace(/\+/g, ' ')) === null) return { in: 'query', path: name, message: 'is not valid percent-encoding (UTF-8)' };
    }
  }
  const found = findUnstorable(req.query);
  return found ? { in: 'query', ...found } : null;
}

function checkHeaders(req: Request): GuardFinding | null {
  for (const name of READ_HEADERS) {
    const value = req.headers[name];
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      const wrong = unstorableText(one);
      if (wrong) return { in: 'header', path: name, message: wrong };
    }
  }
  return null;
}

/** Parsed JSON or form bodies; raw uploads (Buffers) are the compiler's to read. */
function checkBody(body: unknown): GuardFinding | null {
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return null;
  const found = findUnstorable(body);
  return found ? { in: 'body', ...found } : null;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
