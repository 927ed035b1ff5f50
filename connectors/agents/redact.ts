/**
 * Secrets never reach the transcript or the audit: values under secret-looking
 * keys are replaced, and so is any occurrence of a provider key from the
 * environment.
 */
const SECRET_KEY = /(api[-_]?key|secret|password|passwd|authorization|credential|token$)/i;
const ENV_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OLLAMA_API_KEY'];

export function redact<T>(value: T): T {
  const secrets = ENV_KEYS.map((k) => process.env[k]).filter((v): v is string => !!v && v.length >= 8);
  const walk = (v: unknown, key?: string): unknown => {
    if (key && SECRET_KEY.test(key) && v !== null && typeof v !== 'object') return '[redacted]';
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}

/** Provider key shapes (`sk-…`, `sk-ant-…`, `sk-proj-…`), also when an error message quotes them partly. */
const KEY_SHAPE = /\bsk-[A-Za-z0-9_*.-]{6,}/g;

function redactText(text: string, secrets: string[]): string {
  return secrets.reduce((s, secret) => s.split(secret).join('[redacted]'), text).replace(KEY_SHAPE, '[redacted]');
}

/** For one message (an error text that may quote a key). */
export function redactMessage(text: string): string {
  return redact(text);
}
