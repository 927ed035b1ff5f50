/**
 * The access tokens POST /oauth/token hands out: HS256 JWTs (RFC 7519)
 * signed with a server secret kept in `settings` (created by the first engine
 * that needs it; every engine on the database signs and verifies with the
 * same one). The token carries who it was issued to — the actor of the Weft
 * API token that asked for it — and lives at most TOKEN_SECONDS: a revoked
 * or demoted Weft token stops working within that time, since the JWT is not
 * checked against the token store again.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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
  /** The actor as Weft resolved it when the token was issued. */
  weft: Pick<Actor, 'roles' | 'user' | 'groups' | 'scopes'>;
}

export function signToken(secret: Buffer, actor: Actor, now = Date.now()): { token: string; expiresIn: number } {
  const iat = Math.floor(now / 1000);
  const claims: Claims = { iss: ISSUER, aud: AUDIENCE, sub: actor.id, iat, exp: iat + TOKEN_SECONDS, weft: { roles: actor.roles, user: actor.user, groups: actor.groups, scopes: actor.scopes } };
  const body = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  return { token: `${body}.${b64(createHmac('sha256', secret).update(body).digest())}`, expiresIn: TOKEN_SECONDS };
}

export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/** The actor of a valid, unexpired token of ours; null for anything else (bad signature, other algorithm, expired). */
export function verifyToken(secret: Buffer, token: string, now = Date.now()): Actor | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return null;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    if (head.alg !== 'HS256' || claims.iss !== ISSUER || claims.aud !== AUDIENCE) return null;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now || typeof claims.sub !== 'string') return null;
    const { roles, user, groups, scopes } = claims.weft ?? {};
    if (!Array.isArray(roles)) return null;
    return { id: claims.sub, roles, user, groups, scopes, via: 'token' };
  } catch {
    return null;
  }
}
