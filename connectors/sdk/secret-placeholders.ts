/**
 * `{{secrets.NAME}}` in a connector's inputs (Camunda 8's syntax), anywhere
 * in a string: `"Bearer {{secrets.API_TOKEN}}"`, `"https://{{secrets.HOST}}/v1"`.
 *
 * The engine evaluates FEEL and hands the worker the placeholder as text; it
 * is resolved here, at the moment of use, into a copy of the inputs. The
 * job's variables keep the placeholder, and every resolved value is
 * registered with the redaction before the connector sees it, so no sink
 * (log, audit, incident, result variable) can write it.
 */
import { SECRET_NAME, type SecretResolver } from '../../engine/secrets/types.js';
import { envVariableFor } from '../../engine/secrets/env-secrets.js';
import { registerSecret } from '../../engine/security/redaction.js';
import { ConnectorError, SdkErrorCodes } from './connector-error.js';

const PLACEHOLDER = /\{\{\s*secrets\.([^{}\s]+)\s*\}\}/g;

export interface SecretUse {
  name: string;
  /** Where it is used, as a dotted input path (`authentication.token`, `headers.X-Api-Key`). */
  field: string;
}

/** Every placeholder in `value`, with the input field it sits in. */
export function secretUses(value: unknown, field = ''): SecretUse[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1], field }));
  if (Array.isArray(value)) return value.flatMap((item, i) => secretUses(item, join(field, String(i))));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => secretUses(v, join(field, k)));
  return [];
}

/**
 * A copy of `value` with each placeholder replaced by its secret. A name no
 * source holds, or one that is no secret name, fails without retry (the
 * diagram or the configuration must change), naming the secret and the field.
 */
export async function resolveSecrets<T>(value: T, resolver: SecretResolver, named?: ReadonlySet<string>): Promise<T> {
  const uses = secretUses(value);
  if (uses.length === 0) return value;
  const resolved = new Map<string, string>();
  for (const use of uses) {
    if (resolved.has(use.name)) continue;
    // `named`: the secrets the task's own definition names (engine/model/transformers/job-definition.ts); a placeholder
    // that came in with process data is not the diagram's, and filling it in would hand the secret to whoever sent it.
    if (named && !named.has(use.name)) {
      throw new ConnectorError(
        SdkErrorCodes.SECRET_NOT_FOUND,
        `Secret '${use.name}' in input '${use.field || '(value)'}' is not named by the task's own input mappings or headers; a placeholder inside process data is never resolved`,
        { configuration: true },
      );
    }
    let secret: string | undefined;
    try {
      secret = SECRET_NAME.test(use.name) ? await resolver.get(use.name) : undefined;
    } catch (error) {
      // A stored value the configured keys cannot open (SecretCipherError): only an administrator can mend it.
      throw new ConnectorError(SdkErrorCodes.SECRET_NOT_FOUND, `Secret '${use.name}' cannot be read: ${(error as Error).message}`, { configuration: true, cause: error });
    }
    if (secret === undefined) {
      const fields = [...new Set(uses.filter((u) => u.name === use.name).map((u) => `'${u.field || '(value)'}'`))];
      throw new ConnectorError(
        SdkErrorCodes.SECRET_NOT_FOUND,
        `Secret '${use.name}' used in input ${fields.join(', ')} is not set: an administrator adds it (${envVariableFor(use.name)} in the environment, or the secrets store)`,
        { configuration: true },
      );
    }
    registerSecret(secret);
    resolved.set(use.name, secret);
  }
  return replace(value, resolved) as T;
}

function replace(value: unknown, secrets: Map<string, string>): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (_m, name: string) => secrets.get(name) ?? _m);
  if (Array.isArray(value)) return value.map((item) => replace(item, secrets));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, secrets)]));
  return value;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
