import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

const SETTING_KEY = 'admin_token';

export interface AdminToken {
  token: string;
  /** True only on the start that created it, so the starter prints it exactly once. */
  generated: boolean;
}

/**
 * The Bearer token for the REST API: WEFT_ADMIN_TOKEN when the operator set
 * one (it is not stored), else the one kept in `settings`, else a new random
 * token stored there. Safe when several engines start at once: the first
 * insert wins and everyone returns that token.
 */
export async function ensureAdminToken(db: Knex, configured?: string): Promise<AdminToken> {
  if (configured) return { token: configured, generated: false };

  const stored = await readToken(db);
  if (stored) return { token: stored, generated: false };

  const candidate = randomBytes(32).toString('base64url');
  const inserted = await db('settings')
    .insert({ key: SETTING_KEY, value: candidate })
    .onConflict('key')
    .ignore()
    .returning('value');
  if (inserted.length > 0) return { token: candidate, generated: true };

  const winner = await readToken(db);
  if (!winner) throw new Error('admin token vanished from settings while it was being created');
  return { token: winner, generated: false };
}

async function readToken(db: Knex): Promise<string | undefined> {
  const row = await db('settings').where({ key: SETTING_KEY }).first('value');
  return row?.value;
}
