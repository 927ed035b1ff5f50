/**
 * Users, their groups and personal API tokens in Postgres. Tokens are random
 * (`weft_…`), shown once and stored as SHA-256 hashes: a high-entropy secret
 * needs no slow hash, and lookup by hash stays an index hit.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import { scrubJson } from '../../security/redaction.js';
import type { Actor } from '../../api/auth.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { actorId, NAME_PATTERN, ROLES, SCOPES, type Role } from './roles.js';

export interface UserView {
  id: string;
  name: string;
  role: Role;
  groups: string[];
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
}

export interface TokenView {
  id: string;
  user: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export class IdentityRepository {
  constructor(private readonly db: Knex) {}

  async addUser(input: { name: string; role?: string; groups?: string[]; password?: string }, actor: string): Promise<UserView> {
    const name = checkName(input.name, 'User name');
    const role = checkRole(input.role ?? 'user');
    const groups = (input.groups ?? []).map((g) => checkName(g, 'Group name'));
    const passwordHash = input.password !== undefined ? await hashPassword(checkPassword(input.password)) : null;
    await this.db.transaction(async (trx) => {
      // One statement decides, so two concurrent requests for one name cannot both pass a check
      // (the second insert failed on the unique name: a 500).
      const id = randomUUID();
      const inserted = await trx('users').insert({ id, name, role, password_hash: passwordHash }).onConflict('name').ignore().returning('id');
      if (inserted.length === 0) throw new WeftError('BAD_REQUEST', `User ${name} already exists`);
      await setGroups(trx, id, groups);
      await audit(trx, actor, 'USER_ADDED', { user: name, role, groups });
    });
    return this.user(name);
  }

  async updateUser(name: string, change: { role?: string; groups?: string[]; password?: string; disabled?: boolean }, actor: string): Promise<UserView> {
    const user = await this.row(name);
    const patch: Record<string, unknown> = { updated_at: this.db.fn.now() };
    if (change.role !== undefined) patch.role = checkRole(change.role);
    if (change.password !== undefined) patch.password_hash = await hashPassword(checkPassword(change.password));
    if (change.disabled !== undefined) patch.disabled = change.disabled;
    await this.db.transaction(async (trx) => {
      await trx('users').where({ id: user.id }).update(patch);
      if (change.groups !== undefined) await setGroups(trx, user.id, change.groups.map((g) => checkName(g, 'Group name')));
      // A new password or a disabled account ends every browser session of that user.
      if (change.password !== undefined || change.disabled) await trx('sessions').where({ user_id: user.id }).delete();
      const { password, ...rest } = change;
      await audit(trx, actor, 'USER_UPDATED', { user: name, ...rest, ...(password !== undefined ? { passwordChanged: true } : {}) });
    });
    return this.user(name);
  }

  async removeUser(name: string, actor: string): Promise<void> {
    const user = await this.row(name);
    await this.db.transaction(async (trx) => {
      await trx('users').where({ id: user.id }).delete();
      await audit(trx, actor, 'USER_REMOVED', { user: name });
    });
  }

  async user(name: string): Promise<UserView> {
    const [view] = await this.users({ name });
    if (!view) throw new WeftError('NOT_FOUND', `No user ${name}`);
    return view;
  }

  async users(filter: { name?: string; id?: string } = {}): Promise<UserView[]> {
    const rows = await this.db('users as u')
      .leftJoin('user_groups as ug', 'ug.user_id', 'u.id')
      .modify((q) => {
        if (filter.name !== undefined) q.where('u.name', filter.name);
        if (filter.id !== undefined) q.where('u.id', filter.id);
      })
      .groupBy('u.id')
      .orderBy('u.name')
      .select('u.*', this.db.raw(`coalesce(array_agg(ug.group_name ORDER BY ug.group_name) FILTER (WHERE ug.group_name IS NOT NULL), '{}') AS groups`));
    return rows.map((r: Record<string, any>) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      groups: r.groups,
      disabled: r.disabled,
      hasPassword: r.password_hash !== null,
      createdAt: iso(r.created_at)!,
    }));
  }

  /** The password hash and actor of an enabled user, for sign-in. */
  async credentials(name: string): Promise<{ userId: string; passwordHash: string | null } | null> {
    const row = await this.db('users').where({ name, disabled: false }).first('id', 'password_hash');
    return row ? { userId: row.id, passwordHash: row.password_hash } : null;
  }

  /** The actor of an enabled user, as the API sees it. */
  async actor(userId: string, scopes: string[] = []): Promise<Actor | null> {
    const [user] = await this.users({ id: userId });
    if (!user || user.disabled) return null;
    return toActor(user, scopes);
  }

  // ------------------------------------------------------------ tokens

  /** Creates a personal token; the secret is returned here and never again. */
  async createToken(userName: string, input: { name?: string; scopes?: string[] }, actor: string): Promise<TokenView & { token: string }> {
    const user = await this.row(userName);
    const scopes = input.scopes ?? [];
    for (const scope of scopes) {
      if (!(SCOPES as readonly string[]).includes(scope)) throw new WeftError('BAD_REQUEST', `Unknown token scope ${scope}; known: ${SCOPES.join(', ')}`);
    }
    const token = `weft_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const name = input.name?.trim() || 'token';
    await this.db.transaction(async (trx) => {
      await trx('api_tokens').insert({ id, user_id: user.id, name, token_hash: sha256(token), scopes });
      await audit(trx, actor, 'TOKEN_CREATED', { tokenId: id, user: userName, name, scopes });
    });
    const [view] = await this.tokens({ id });
    return { ...view, token };
  }

  async tokens(filter: { user?: string; id?: string } = {}): Promise<TokenView[]> {
    const rows = await this.db('api_tokens as t')
      .join('users as u', 'u.id', 't.user_id')
      .modify((q) => {
        if (filter.user) q.where('u.name', filter.user);
        if (filter.id) q.where('t.id', filter.id);
      })
      .orderBy('t.created_at')
      .select('t.*', 'u.name as user_name');
    return rows.map((r: Record<string, any>) => ({
      id: r.id,
      user: r.user_name,
      name: r.name,
      scopes: r.scopes,
      createdAt: iso(r.created_at)!,
      lastUsedAt: iso(r.last_used_at),
      revokedAt: iso(r.revoked_at),
    }));
  }

  async revokeToken(id: string, actor: string): Promise<TokenView> {
    const updated = await this.db.transaction(async (trx) => {
      const count = await trx('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
      if (count > 0) await audit(trx, actor, 'TOKEN_REVOKED', { tokenId: id });
      return count;
    });
    const [view] = await this.tokens({ id });
    if (!view) throw new WeftError('NOT_FOUND', `No token ${id}`);
    if (updated === 0 && !view.revokedAt) throw new WeftError('NOT_FOUND', `No token ${id}`);
    return view;
  }

  /** The actor a personal token acts as; null when unknown, revoked or its user disabled. */
  async authenticateToken(token: string): Promise<Actor | null> {
    if (!token.startsWith('weft_')) return null;
    const row = await this.db('api_tokens').where({ token_hash: sha256(token) }).whereNull('revoked_at').first('id', 'user_id', 'scopes');
    if (!row) return null;
    await this.db('api_tokens').where({ id: row.id }).update({ last_used_at: this.db.fn.now() });
    const actor = await this.actor(row.user_id, row.scopes);
    return actor ? { ...actor, via: 'token', tokenId: row.id } : null;
  }

  /** The actor of a personal token by its id as it stands now (roles, groups); null when unknown, revoked or its user disabled. */
  async authenticateTokenId(id: string): Promise<Actor | null> {
    if (!UUID.test(id)) return null;
    const row = await this.db('api_tokens').where({ id }).whereNull('revoked_at').first('id', 'user_id', 'scopes');
    if (!row) return null;
    const actor = await this.actor(row.user_id, row.scopes);
    return actor ? { ...actor, via: 'token', tokenId: row.id } : null;
  }

  private async row(name: string): Promise<{ id: string }> {
    const row = await this.db('users').where({ name }).first('id');
    if (!row) throw new WeftError('NOT_FOUND', `No user ${name}`);
    return row;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toActor(user: UserView, scopes: string[] = []): Actor {
  return { id: actorId(user.name), user: user.name, roles: [user.role], groups: user.groups, scopes };
}

/** Identity changes go to the append-only audit log too (no instance; never a secret). */
export async function audit(db: Knex, actor: string, type: string, payload: Record<string, unknown>): Promise<void> {
  await db('audit').insert({ process_instance_id: null, actor, type, payload: scrubJson(JSON.stringify(payload)) });
}

async function setGroups(trx: Knex.Transaction, userId: string, groups: string[]): Promise<void> {
  await trx('user_groups').where({ user_id: userId }).delete();
  if (groups.length === 0) return;
  const unique = [...new Set(groups)];
  await trx('groups').insert(unique.map((name) => ({ name }))).onConflict('name').ignore();
  await trx('user_groups').insert(unique.map((group_name) => ({ user_id: userId, group_name })));
}

function checkName(value: string, what: string): string {
  const name = String(value ?? '').trim();
  if (!NAME_PATTERN.test(name)) throw new WeftError('BAD_REQUEST', `${what} '${name}' may hold letters, digits and . _ @ - (up to 100, starting with a letter or digit)`);
  return name;
}

function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new WeftError('BAD_REQUEST', `Unknown role ${role}; roles: ${ROLES.join(', ')}`);
  return role as Role;
}

function checkPassword(password: string): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new WeftError('BAD_REQUEST', `A password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return password;
}
