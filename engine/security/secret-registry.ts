/**
 * The secret VALUES this process knows and must never write anywhere: the
 * values of environment variables whose names look secret, the password part
 * of every URL in the environment, and values registered at run time (the
 * generated admin token). One registry per process, because every sink (log,
 * audit, incident, journal, error response) asks the same question.
 *
 * The matcher is compiled once per change of the set, not per call: the audit
 * rows of every token move pass through it.
 */

/** Names of environment variables whose values are secrets (`OPENAI_API_KEY`, `WEFT_ADMIN_TOKEN`, `DB_PASSWORD`, …). */
const SECRET_NAME = /(^|_)(KEY|TOKEN|SECRET|PAT)$|PASSW(OR)?D|SECRET|CREDENTIAL/i;

/**
 * Shorter values are not taken: a 4-character "secret" would redact every
 * occurrence of an ordinary word in every log line, and is not a secret worth
 * the name anyway (WEFT_ADMIN_TOKEN must be 8 characters or more).
 */
export const MIN_SECRET_LENGTH = 8;

const values = new Set<string>();
let compiled: { text: RegExp | null; json: RegExp | null } | null = null;
let scannedEnvironment = false;

/** Adds a value every sink must scrub from now on (the admin token, a key read at run time). */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || values.has(value)) return;
  values.add(value);
  compiled = null;
}

/**
 * Registers the secret-looking values of `env`. Runs by itself on first use
 * (for `process.env`); startWeft runs it again so variables set before a
 * start in the same process (tests, embedders) are covered too.
 */
export function registerEnvironmentSecrets(env: NodeJS.ProcessEnv = process.env): void {
  if (env === process.env) scannedEnvironment = true;
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) registerSecret(value);
    registerUrlPassword(value);
  }
}

/** The password of a `scheme://user:password@host` value (DATABASE_URL, REDIS_URL, …), as written and decoded. */
function registerUrlPassword(value: string): void {
  if (!value.includes('://') || !value.includes('@')) return;
  let password: string;
  try {
    password = new URL(value).password;
  } catch {
    return;
  }
  if (!password) return;
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // not percent-encoded validly: the raw form is registered
  }
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * One regular expression matching any registered value, longest first (so a
 * secret that contains another is replaced whole), or null when none is
 * known. `json` matches the values as they appear inside JSON text (quotes
 * and backslashes escaped), for sinks that scrub a serialized line.
 */
export function secretMatchers(): { text: RegExp | null; json: RegExp | null } {
  if (!scannedEnvironment) registerEnvironmentSecrets();
  if (compiled) return compiled;
  const sorted = [...values].sort((a, b) => b.length - a.length);
  const jsonForms = [...new Set(sorted.map((v) => JSON.stringify(v).slice(1, -1)))];
  compiled = { text: alternation(sorted), json: alternation(jsonForms) };
  return compiled;
}

function alternation(literals: string[]): RegExp | null {
  if (literals.length === 0) return null;
  return new RegExp(literals.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** For tests: forget the registered values (the environment is scanned again on next use). */
export function resetSecretsForTest(): void {
  values.clear();
  compiled = null;
  scannedEnvironment = false;
}
