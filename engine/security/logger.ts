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
 *
 * Where the lines go: a terminal gets them through pino-pretty (readable,
 * coloured), anything else (a file, a pipe, a log shipper) as JSON, one
 * object a line (`logFormatFor`). The pretty stream is fed the lines the
 * `streamWrite` hook already scrubbed, so redaction is the same in both.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
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

export type LogFormat = 'pretty' | 'json';

/** Pretty for a person at a terminal, JSON for everything else (pure: the caller says what stdout is). */
export function logFormatFor(stdout: { isTTY?: boolean }): LogFormat {
  return stdout.isTTY === true ? 'pretty' : 'json';
}

/** pino-pretty as an in-process stream (no worker thread): it reads each finished, scrubbed JSON line. */
export function prettyStream(destination: NodeJS.WritableStream = process.stdout, colorize = true): DestinationStream {
  return pinoPretty({ destination, colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true });
}

/** Without a destination: stdout, pretty when it is a terminal (logFormatFor), JSON otherwise. */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    ...options,
    redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
    hooks: { ...options.hooks, streamWrite: scrubLogLine },
  };
  const target = destination ?? (logFormatFor(process.stdout) === 'pretty' ? prettyStream() : undefined);
  return target ? pino(settings, target) : pino(settings);
}
