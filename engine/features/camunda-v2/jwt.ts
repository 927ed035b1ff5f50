/**
 * The access tokens POST /oauth/token hands out: HS256 JWTs (RFC 7519)
 * signed with a server secret kept in `settings` (created by the first engine
 * that needs it; every engine on the database signs and verifies with the
 * same one). The token names the Weft API token it was minted from (`tid`:
 * a personal token's id, or a fingerprint of the admin token, never a
 * secret) and lives at most TOKEN_SECONDS. Each request resolves `tid` again
 * (v2-auth.ts), so a revoked token, a disabled user or a changed admin token
 * stops its access tokens at once, and a change of roles applies at once.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor } from '../../api/auth.js';

export const TOKEN_SECONDS = 600;
const SETTING_KEY = 'camunda-v2.jwt-secret';
const ISSUER = 'weft';
export const AUDIENCE = 'weft-v2';

const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export async function signingSecret(db: Knex): Promise<Buffer> {
  const read = async () => (await db('settings').where({ key: SETTING_KEY }).first('value'))?.value as string | undefined;
  let value = await read();
  if (!value) {
    await db('settings').insert({ key: SETTING_KEY, value: randomBytes(32).toString('base64url') }).onConflict('key').ignore();
    value = await read();
  }
  if (!value) throw new Error('the /v2 signing secret vanished from settings while it was being created');
  return Buffer.from(value, 'base64url');
}

interface Claims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  /** The Weft API token the access token stands for (tokenRef). */
  tid: string;
}

const ADMIN_REF = 'admin:';

/** What an access token minted for this actor refers back to: the personal token's id, or the admin token's fingerprint (so a new admin token ends the old one's access tokens). */
export function tokenRef(actor: Actor, adminToken: string): string | null {
  if (actor.via === 'admin-token') return ADMIN_REF + createHash('sha256').update(`weft-v2-admin:${adminToken}`).digest('base64url').slice(0, 22);
  return actor.tokenId ?? null;
}

export const isAdminRef = (ref: string, adminToken: string) => ref.startsWith(ADMIN_REF) && ref === tokenRef({ id: 'admin', roles: [], via: 'admin-token' }, adminToken);

export function signToken(secret: Buffer, actor: Actor, ref: string, now = Date.now()): { token: string; expiresIn: number } {
  const iat = Math.floor(now / 1000);
  const claims: Claims = { iss: ISSUER, aud: AUDIENCE, sub: actor.id, iat, exp: iat + TOKEN_SECONDS, tid: ref };
  const body = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  return { token: `${body}.${b64(createHmac('sha256', secret).update(body).digest())}`, expiresIn: TOKEN_SECONDS };
}

export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/** The token reference of a valid, unexpired access token of ours; null for anything else (bad signature, other algorithm, expired). */
export function verifyToken(secret: Buffer, token: string, now = Date.now()): { sub: string; tid: string } | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return null;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    if (head.alg !== 'HS256' || claims.iss !== ISSUER || claims.aud !== AUDIENCE) return null;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now || typeof claims.sub !== 'string' || typeof claims.tid !== 'string') return null;
    return { sub: claims.sub, tid: claims.tid };
  } catch {
    return null;
  }
}
