/**
 * The keys of the secrets store, from the environment: `WEFT_SECRETS_KEY`
 * seals new values and opens its own; `WEFT_SECRETS_KEY_PREVIOUS` (one key,
 * or several separated by commas) only opens values sealed before a
 * rotation, until `weft secrets rotate` has re-sealed them.
 *
 * A key of the wrong length is a configuration problem (the server does not
 * start), named by its variable and never quoted.
 */
import { parseSecretKey, SecretCipherError, type SecretKey } from './secret-cipher.js';

export interface SecretKeys {
  /** Seals new values; absent: the store can be read for env secrets only, and writing is refused. */
  current?: SecretKey;
  /** Open only. */
  previous: SecretKey[];
}

export const NO_SECRET_KEYS: SecretKeys = { previous: [] };

/** Every key that may open a value: the current one first. */
export function openingKeys(keys: SecretKeys): SecretKey[] {
  return keys.current ? [keys.current, ...keys.previous] : [...keys.previous];
}

export function loadSecretKeys(env: NodeJS.ProcessEnv): { keys: SecretKeys; problems: string[] } {
  const problems: string[] = [];
  const parse = (variable: string, text: string): SecretKey | undefined => {
    try {
      return parseSecretKey(text);
    } catch (error) {
      if (!(error instanceof SecretCipherError)) throw error;
      problems.push(`${variable}: ${error.message}`);
      return undefined;
    }
  };
  const current = env.WEFT_SECRETS_KEY ? parse('WEFT_SECRETS_KEY', env.WEFT_SECRETS_KEY) : undefined;
  const previous = (env.WEFT_SECRETS_KEY_PREVIOUS ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter(Boolean)
    .flatMap((text, i, all) => parse(all.length > 1 ? `WEFT_SECRETS_KEY_PREVIOUS (key ${i + 1})` : 'WEFT_SECRETS_KEY_PREVIOUS', text) ?? [])
    .filter((key) => key.id !== current?.id);
  return { keys: { current, previous }, problems };
}
