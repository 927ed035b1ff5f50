/**
 * The pino logger Weft writes with. Two layers, because either alone misses
 * something:
 *
 * - pino's `redact` censors the places libraries put credentials
 *   (authorization and cookie headers of a request or a response) whatever
 *   the value is, also when it is not a string (a `set-cookie` list);
 * - the `streamWrite` hook scrubs the finished JSON line — message, bindings
 *   and serialized errors alike (a provider's 401 that echoes the key lands in
 *   `err.message`, `err.stack` and the error's body) — of known secret values
 *   and key shapes (redaction.ts), and censors the string value of any
 *   secret-named field (`password`, `apiKey`, `token`, …) at any depth.
 *
 * pino's wildcard paths (`*.password`) would do the last part too, but a
 * wildcard stands for one level only and costs more than the rest of the
 * line (bench/redaction-bench.ts); one regular expression over the line
 * covers every depth for less.
 *
 * Pass a logger made here to startWeft (or none); a bare `pino()` one
 * bypasses both layers.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACTED, SECRET_KEY, scrubJson } from './redaction.js';

const HEADERS = ['authorization', 'Authorization', 'cookie', 'Cookie', '["set-cookie"]', '["x-api-key"]'];
const HOLDERS = ['headers', 'req.headers', 'res.headers', 'request.headers', 'response.headers'];

/**
 * Explicit paths only (pino compiles them; about a microsecond a line), and
 * none under `err`: a path into the error makes pino serialize it a slower
 * way, several times the cost of the line, and the line scrub below censors
 * an error's `"authorization":"…"` anyway.
 */
export const LOG_REDACT_PATHS = HOLDERS.flatMap((holder) => HEADERS.map((header) => (header.startsWith('[') ? `${holder}${header}` : `${holder}.${header}`)));

/** Every `"key":"string"` of a line, the value a whole JSON string (escapes included), so the line stays valid JSON. */
const STRING_FIELD = /"([^"\\]+)":"(?:[^"\\]|\\.)*"/g;

/** What the `streamWrite` hook does to each line: known secrets and shapes, then fields with secret names (redaction.ts's SECRET_KEY). */
export function scrubLogLine(line: string): string {
  return scrubJson(line).replace(STRING_FIELD, (field, key: string) => (SECRET_KEY.test(key) ? `"${key}":"${REDACTED}"` : field));
}

export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    ...options,
    redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
    hooks: { ...options.hooks, streamWrite: scrubLogLine },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
