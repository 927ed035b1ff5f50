/**
 * The one redaction every sink applies before it writes: the log, the audit,
 * incidents and job error messages, the agent journal and transcripts, error
 * responses. Two kinds of match:
 *
 * - values: every secret the registry knows (secret-looking environment
 *   variables, URL passwords, the admin token; see secret-registry.ts);
 * - shapes: well-known key formats, so a key this process never saw (a remote
 *   worker's, one a provider echoes back) is caught too — `sk-…` (OpenAI,
 *   Anthropic, also partly masked), `weft_…` (Weft personal tokens), GitHub,
 *   Slack and Google keys, `Bearer …`/`Basic …` credentials, and the password
 *   of a `scheme://user:password@host` URL.
 *
 * Structured data can also be redacted by key (`apiKey`, `password`,
 * `authorization`, …) where the data is not the user's process data
 * (tool arguments, transcripts).
 */
import { secretMatchers } from './secret-registry.js';

export { registerSecret, registerEnvironmentSecrets } from './secret-registry.js';

export const REDACTED = '[redacted]';

/**
 * None of the character classes admit `"` or `\`, so a match never crosses
 * the end of a string inside JSON text: scrubJson can run this on a
 * serialized line and the line stays valid JSON.
 */
const SHAPES =
  /\b(?:sk-[A-Za-z0-9_*.-]{6,}|weft_[A-Za-z0-9_-]{40,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})|\b(Bearer|Basic) +[A-Za-z0-9._~+/=-]{8,}|(\/\/[^\s:@/"\\]*:)[^\s@/"\\]+@/g;

const replaceShape = (_match: string, scheme?: string, userinfo?: string) =>
  scheme ? `${scheme} ${REDACTED}` : userinfo ? `${userinfo}${REDACTED}@` : REDACTED;

/** Keys whose values are secrets whatever they hold (for objects here, and for log lines in logger.ts). */
export const SECRET_KEY = /api[-_]?key|secret|passw(or)?d|authorization|credential|cookie|token$/i;

/** A text with every known secret value and key shape replaced. */
export function scrubText(text: string): string {
  if (text.length < 8) return text;
  const { text: known } = secretMatchers();
  const once = known ? text.replace(known, REDACTED) : text;
  return once.replace(SHAPES, replaceShape);
}

/** The same for serialized JSON (a log line, rows bound as jsonb): the result is valid JSON again. */
export function scrubJson(json: string): string {
  const { json: known } = secretMatchers();
  const once = known ? json.replace(known, REDACTED) : json;
  return once.replace(SHAPES, replaceShape);
}

/** The error itself, its message and stack scrubbed in place (for sinks that keep the error: BullMQ's failed jobs). */
export function scrubError<T>(error: T): T {
  if (error instanceof Error) {
    error.message = scrubText(error.message);
    if (error.stack) error.stack = scrubText(error.stack);
  }
  return error;
}

/** Every string inside `value` scrubbed (by value and shape); keys and structure kept. For data that is the user's (variables). */
export function scrubStrings<T>(value: T): T {
  return walk(value, false) as T;
}

/**
 * Every string scrubbed, and every string or number under a secret-looking
 * key replaced: for tool arguments, transcripts and audit payloads that the
 * engine writes about a run (not a process's own variables).
 */
export function redact<T>(value: T): T {
  return walk(value, true) as T;
}

function walk(value: unknown, byKey: boolean, key?: string): unknown {
  if (typeof value === 'string') return byKey && key !== undefined && SECRET_KEY.test(key) ? REDACTED : scrubText(value);
  if (typeof value === 'number') return byKey && key !== undefined && SECRET_KEY.test(key) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => walk(item, byKey));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, byKey, k)]));
  }
  return value;
}
