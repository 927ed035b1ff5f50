/**
 * The resolver connectors use for `{{secrets.NAME}}`: the server's
 * environment first (`WEFT_SECRET_NAME`, env-secrets.ts), then the secrets
 * table (opened with the configured keys). The environment wins so an
 * operator can override a stored value without touching the database.
 *
 * Every value returned is registered with the redaction first
 * (engine/security), so if a called system echoes it back it is scrubbed
 * from every sink. (Values under 8 characters cannot be registered, which is
 * why the store refuses them; see secret-schemas.ts.)
 *
 * Reads of the table are cached briefly per resolver (secret-cache.ts):
 * several engine processes may run, so an entry lives a few seconds at most,
 * and a write in this process ends every entry at once.
 */
import type { Knex } from 'knex';
import { registerSecret } from '../security/redaction.js';
import { envSecrets } from './env-secrets.js';
import { openSecret } from './secret-cipher.js';
import { SecretCache, SECRET_CACHE_MS } from './secret-cache.js';
import { NO_SECRET_KEYS, openingKeys, type SecretKeys } from './secret-keys.js';
import { SecretStore } from './secret-store.js';
import { SECRET_NAME, type SecretResolver } from './types.js';

export interface SecretResolverOptions {
  db: Knex;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default none: only env secrets resolve, and a stored one is an error naming the key it needs. */
  keys?: SecretKeys;
  /** How long a read of the table is kept; 0: not at all. Default SECRET_CACHE_MS. */
  cacheMs?: number;
  now?: () => number;
}

export function secretResolver(options: SecretResolverOptions): SecretResolver {
  const fromEnv = envSecrets(options.env ?? process.env);
  const store = new SecretStore(options.db);
  const keys = openingKeys(options.keys ?? NO_SECRET_KEYS);
  const cache = new SecretCache(options.cacheMs ?? SECRET_CACHE_MS, options.now);
  return {
    async get(name) {
      // A name no secret can have is not looked for (nor used in a query).
      if (!SECRET_NAME.test(name)) return undefined;
      const env = await fromEnv.get(name);
      if (env !== undefined) return registered(env);
      const cached = cache.get(name);
      if (cached) return registered(cached.value);
      const sealed = await store.sealed(name);
      // A row that cannot be opened throws (SecretCipherError, naming the key it needs): the connector's incident says so.
      const value = sealed ? openSecret(keys, name, sealed) : undefined;
      cache.set(name, value);
      return registered(value);
    },
  };
}

function registered(value: string | undefined): string | undefined {
  registerSecret(value);
  return value;
}
