/**
 * A webhook's credentials (HMAC secret, basic-auth user and password, API
 * key) as written in the diagram: a literal, or text with `{{secrets.NAME}}`
 * references (Camunda 8's syntax) resolved at the moment a request is
 * checked. Resolved values are registered with the redaction, so no log,
 * audit row or error answer can carry them afterwards.
 */
import type { SecretResolver } from '../../secrets/types.js';
import { registerSecret } from '../../security/redaction.js';

const REFERENCE = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export class MissingSecretError extends Error {
  constructor(readonly secretName: string) {
    super(`secret ${secretName} is not set`);
    this.name = 'MissingSecretError';
  }
}

/** `text` with its references replaced; throws MissingSecretError naming the first one no source holds. */
export async function resolveSecrets(text: string, secrets: SecretResolver): Promise<string> {
  const names = [...new Set([...text.matchAll(REFERENCE)].map((m) => m[1]))];
  if (names.length === 0) return text;
  const values = new Map<string, string>();
  for (const name of names) {
    let value: string | undefined;
    try {
      value = await secrets.get(name);
    } catch {
      // A stored value the configured keys cannot open (SecretCipherError): the administrator's to mend, as a missing one.
      throw new MissingSecretError(name);
    }
    if (value === undefined) throw new MissingSecretError(name);
    registerSecret(value);
    values.set(name, value);
  }
  return text.replace(REFERENCE, (_m, name: string) => values.get(name)!);
}
