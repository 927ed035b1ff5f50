/**
 * Managing the secrets store, for the admin API and the CLI alike: set
 * (seal with the current key, write, audit), list, delete, rotate. Names and
 * values arrive already checked by secret-schemas.ts at the edge.
 */
import type { Knex } from 'knex';
import { WeftError } from '../errors.js';
import { registerSecret } from '../security/redaction.js';
import { openSecret, sealSecret, type SecretKey } from './secret-cipher.js';
import { secretsChanged } from './secret-cache.js';
import { NO_SECRET_KEYS, openingKeys, type SecretKeys } from './secret-keys.js';
import { SecretStore, type SecretInfo } from './secret-store.js';

export const NO_KEY_MESSAGE =
  'The secrets store has no key: set WEFT_SECRETS_KEY (32 bytes, e.g. `openssl rand -base64 32`) to store secrets. ' +
  'Secrets from the environment (WEFT_SECRET_<NAME>) work without it.';

/** Rows re-sealed per transaction by a rotation: short transactions, few locks held at once. */
export const ROTATE_BATCH = 100;

export class SecretsAdmin {
  private readonly store: SecretStore;

  constructor(
    db: Knex,
    private readonly keys: SecretKeys = NO_SECRET_KEYS,
  ) {
    this.store = new SecretStore(db);
  }

  /** The key new values are sealed with, or null when none is configured. */
  get keyId(): string | null {
    return this.keys.current?.id ?? null;
  }

  list(): Promise<SecretInfo[]> {
    return this.store.list();
  }

  async set(name: string, value: string, actor: string): Promise<{ created: boolean; info: SecretInfo }> {
    // Known to every sink before anything else happens to it.
    registerSecret(value);
    const key = this.currentKey();
    const result = await this.store.put(name, sealSecret(key, name, value), actor);
    secretsChanged();
    return result;
  }

  async delete(name: string, actor: string): Promise<void> {
    const deleted = await this.store.delete(name, actor);
    secretsChanged();
    if (!deleted) throw new WeftError('NOT_FOUND', `No secret ${name}`);
  }

  /**
   * Re-seals every value not under the current key, `batchSize` rows per
   * transaction, until none is left (or the rows left cannot be opened with
   * the keys given: the error names the key they need). Returns how many.
   */
  async rotate(actor: string, batchSize = ROTATE_BATCH, onBatch?: (count: number) => void): Promise<number> {
    const key = this.currentKey();
    const keys = openingKeys(this.keys);
    let total = 0;
    for (;;) {
      const count = await this.store.reseal(key.id, batchSize, actor, (name, sealed) => {
        const value = openSecret(keys, name, sealed);
        registerSecret(value);
        return sealSecret(key, name, value);
      });
      if (count === 0) break;
      total += count;
      secretsChanged();
      onBatch?.(count);
    }
    return total;
  }

  /** How many values each key seals. */
  countByKey(): Promise<Record<string, number>> {
    return this.store.countByKey();
  }

  private currentKey(): SecretKey {
    if (!this.keys.current) throw new WeftError('SECRETS_KEY_NOT_SET', NO_KEY_MESSAGE);
    return this.keys.current;
  }
}
