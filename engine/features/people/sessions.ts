/**
 * Browser sessions: a random id in an httpOnly, SameSite=Lax cookie (Secure
 * when the request came over TLS), stored only as a SHA-256 hash, with a
 * CSRF token bound to the session that state-changing requests must echo in
 * `X-CSRF-Token`. Sessions last SESSION_TTL_MS from sign-in; a new password
 * or a disabled account ends them (identity-repository.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Request, Response } from 'express';
import type { Actor } from '../../api/auth.js';
import { overTls } from '../../api/security-headers.js';
import { IdentityRepository, sha256 } from './identity-repository.js';

export const SESSION_COOKIE = 'weft_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionOptions {
  /** Trust X-Forwarded-Proto from a TLS-terminating proxy (WEFT_TRUST_PROXY=true). */
  trustProxy?: boolean;
}

export class Sessions {
  private readonly identity: IdentityRepository;

  constructor(
    readonly db: Knex,
    private readonly options: SessionOptions = {},
  ) {
    this.identity = new IdentityRepository(db);
  }

  async create(userId: string): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.db('sessions').insert({ id_hash: sha256(token), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt });
    // Expired sessions are cleared by the next sign-in; no background loop needed.
    await this.db('sessions').where('expires_at', '<', this.db.fn.now()).delete();
    return { token, csrfToken, expiresAt };
  }

  /** The session of this request's cookie, if it is valid and its user enabled. */
  async resolve(req: Request): Promise<{ actor: Actor; csrfToken: string } | null> {
    const token = sessionToken(req);
    if (!token) return null;
    const row = await this.db('sessions').where({ id_hash: sha256(token) }).andWhere('expires_at', '>', this.db.fn.now()).first('user_id', 'csrf_token');
    if (!row) return null;
    const actor = await this.identity.actor(row.user_id);
    return actor ? { actor: { ...actor, via: 'session' }, csrfToken: row.csrf_token } : null;
  }

  async destroy(req: Request): Promise<void> {
    const token = sessionToken(req);
    if (token) await this.db('sessions').where({ id_hash: sha256(token) }).delete();
  }

  setCookie(req: Request, res: Response, token: string, expiresAt: Date): void {
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.overTls(req), path: '/', expires: expiresAt });
  }

  clearCookie(req: Request, res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.overTls(req), path: '/' });
  }

  private overTls(req: Request): boolean {
    return overTls(req, this.options.trustProxy === true);
  }
}

export function sessionToken(req: Request): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeCookie(value.join('='));
  }
  return null;
}

/** Session ids are base64url; a value that does not even decode (`%E0%A4%A`) is no session, not a 500. */
function decodeCookie(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
