/**
 * The pino logger Weft writes with. Two layers, because either alone misses
 * something:
 *
 * - pino's `redact` censors structured fields by path (authorization and
 *   cookie headers, `*.apiKey`, `*.password`, `*.token`, …) whatever their
 *   value, so a secret Weft has never seen is not written when it sits under
 *   such a key;
 * - the `streamWrite` hook scrubs the finished JSON line (message, bindings
 *   and serialized errors alike — a provider's 401 that echoes the key lands
 *   in `err.message`, `err.stack` and the error's body fields) for known
 *   secret values and key shapes (redaction.ts).
 *
 * Pass a logger made here to startWeft (or none); a bare `pino()` one
 * bypasses both layers.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACTED, scrubJson } from './redaction.js';

const SECRET_FIELDS = ['authorization', 'Authorization', 'cookie', 'password', 'apiKey', 'api_key', 'token', 'accessToken', 'refreshToken', 'secret', 'clientSecret', 'csrfToken'];
const SECRET_HEADERS = ['["set-cookie"]', '["x-api-key"]'];

/**
 * A wildcard stands for exactly one level (`*.password` does not match
 * `a.b.password`), so each field is listed at the depths log objects have:
 * `{err}` → `err.headers.authorization`, `{req}` → `req.headers.cookie`.
 */
export const LOG_REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => [`*${header}`, `*.*${header}`]),
];

export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    ...options,
    redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
    hooks: { ...options.hooks, streamWrite: scrubJson },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
