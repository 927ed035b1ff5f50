/**
 * The `secrets` table: sealed values (never plaintext), who set them and
 * when. Every change is written with its audit row in one transaction; the
 * audit names the secret and the actor, never the value or its ciphertext.
 */
import type { Knex } from 'knex';
import { scrubJson } from '../security/redaction.js';
import type { SealedSecret } from './secret-cipher.js';

export interface SecretInfo {
  name: string;
  keyId: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

interface SecretRow {
  name: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_id: string;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
}

const INFO_COLUMNS = ['name', 'key_id', 'created_at', 'created_by', 'updated_at', 'updated_by'] as const;

export class SecretStore {
  constructor(private readonly db: Knex) {}

  /** Names and metadata, by name; no value, no ciphertext. */
  async list(): Promise<SecretInfo[]> {
    const rows: SecretRow[] = await this.db('secrets').orderBy('name').select(INFO_COLUMNS);
    return rows.map(toInfo);
  }

  async sealed(name: string): Promise<SealedSecret | undefined> {
    const row: SecretRow | undefined = await this.db('secrets').where({ name }).first();
    return row ? toSealed(row) : undefined;
  }

  /** Creates or replaces; `created` says which. One statement decides, so two concurrent puts of one name cannot both insert. */
  async put(name: string, sealed: SealedSecret, actor: string): Promise<{ created: boolean; info: SecretInfo }> {
    return this.db.transaction(async (trx) => {
      // `xmax = 0` holds for a row this statement inserted, not for one it updated (Postgres's MVCC bookkeeping).
      const [row]: (SecretRow & { inserted: boolean })[] = await trx('secrets')
        .insert({ name, ...sealedColumns(sealed), created_by: actor, updated_by: actor })
        .onConflict('name')
        .merge({ ...sealedColumns(sealed), updated_at: trx.fn.now(), updated_by: actor })
        .returning([...INFO_COLUMNS, trx.raw('(xmax = 0) AS inserted')]);
      const created = row.inserted;
      await audit(trx, actor, created ? 'SECRET_CREATED' : 'SECRET_UPDATED', { secret: name, keyId: sealed.keyId });
      return { created, info: toInfo(row) };
    });
  }

  /** False when there was no such secret (nothing audited). */
  async delete(name: string, actor: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const count = await trx('secrets').where({ name }).delete();
      if (count > 0) await audit(trx, actor, 'SECRET_DELETED', { secret: name });
      return count > 0;
    });
  }

  /**
   * Re-seals up to `limit` rows not under `keyId`, in one transaction: the
   * rows are claimed with SKIP LOCKED so two rotations (or a rotation and an
   * admin's put) never wait on or overwrite each other. Returns how many.
   */
  async reseal(keyId: string, limit: number, actor: string, reseal: (name: string, sealed: SealedSecret) => SealedSecret): Promise<number> {
    return this.db.transaction(async (trx) => {
      const rows: SecretRow[] = await trx('secrets').whereNot({ key_id: keyId }).orderBy('name').limit(limit).forUpdate().skipLocked();
      for (const row of rows) {
        await trx('secrets').where({ name: row.name }).update({ ...sealedColumns(reseal(row.name, toSealed(row))), updated_at: trx.fn.now(), updated_by: actor });
      }
      if (rows.length > 0) {
        await audit(trx, actor, 'SECRETS_ROTATED', { secrets: rows.map((r) => r.name), fromKeyIds: [...new Set(rows.map((r) => r.key_id))], keyId });
      }
      return rows.length;
    });
  }

  /** How many rows each key id seals (what a rotation has left to do). */
  async countByKey(): Promise<Record<string, number>> {
    const rows: { key_id: string; n: number }[] = await this.db('secrets').groupBy('key_id').select('key_id', this.db.raw('count(*)::int AS n'));
    return Object.fromEntries(rows.map((r) => [r.key_id, r.n]));
  }
}

/** Admin changes go to the append-only audit log (no instance), as the people feature's do. */
async function audit(trx: Knex.Transaction, actor: string, type: string, payload: Record<string, unknown>): Promise<void> {
  await trx('audit').insert({ process_instance_id: null, actor, type, payload: scrubJson(JSON.stringify(payload)) });
}

const sealedColumns = (s: SealedSecret) => ({ ciphertext: s.ciphertext, iv: s.iv, auth_tag: s.authTag, key_id: s.keyId });
const toSealed = (r: SecretRow): SealedSecret => ({ ciphertext: r.ciphertext, iv: r.iv, authTag: r.auth_tag, keyId: r.key_id });
const toInfo = (r: Pick<SecretRow, (typeof INFO_COLUMNS)[number]>): SecretInfo => ({
  name: r.name,
  keyId: r.key_id,
  createdAt: new Date(r.created_at).toISOString(),
  createdBy: r.created_by,
  updatedAt: new Date(r.updated_at).toISOString(),
  updatedBy: r.updated_by,
});
