/**
 * Who is calling /v2: what Camunda's clients send, resolved to the Weft actor
 * /api would see for the same token —
 * - `Authorization: Bearer <Weft API token>` (the admin token or a personal
 *   token, as /api resolves it; never a browser session: a cookie must not
 *   drive the engine API of a program);
 * - `Authorization: Bearer <JWT>` from POST /oauth/token (jwt.ts);
 * - `Authorization: Basic` with the token's user name (`admin` for the admin
 *   token) and the token as the password.
 * Anything else is a 401 problem.
 */
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { sameToken, type Actor, type ApiEdge } from '../../api/auth.js';
import { WeftError } from '../../errors.js';
import { looksLikeJwt, signingSecret, verifyToken } from './jwt.js';

const ADMIN: Actor = { id: 'admin', roles: ['admin'], via: 'admin-token' };

/** The user name a Basic or client-credentials caller gives for a token: `admin` for the admin token, the user's name otherwise. */
export const userNameOf = (actor: Actor) => (actor.via === 'admin-token' ? 'admin' : actor.user);

export type TokenResolver = (token: string) => Promise<Actor | null>;

export function tokenResolver(adminToken: string, edge: ApiEdge | undefined): TokenResolver {
  return async (token) => (sameToken(token, adminToken) ? ADMIN : ((await edge?.token?.(token)) ?? null));
}

/** HTTP Basic credentials (RFC 7617) from the header's base64 part; null when there is no colon. */
export function basic(value: string): { user: string; password: string } | null {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? null : { user: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

export function v2Auth(db: Knex, resolve: TokenResolver): RequestHandler {
  let secret: Promise<Buffer> | undefined;
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme, value] = header.trim().split(/[ \t]+/, 2);
    let actor: Actor | null = null;
    if (/^bearer$/i.test(scheme ?? '') && value) {
      if (looksLikeJwt(value)) actor = verifyToken(await (secret ??= signingSecret(db).catch((err: unknown) => ((secret = undefined), Promise.reject(err)))), value);
      actor ??= await resolve(value);
    } else if (/^basic$/i.test(scheme ?? '') && value) {
      const given = basic(value);
      const found = given ? await resolve(given.password) : null;
      actor = found && given && userNameOf(found) === given.user ? found : null;
    } else {
      res.set('WWW-Authenticate', 'Bearer realm="weft"');
      throw new WeftError('UNAUTHORIZED', 'Missing credentials: send Authorization: Bearer <token> (a Weft API token or an access token from /oauth/token), or Basic with the user name and token');
    }
    if (!actor) {
      res.set('WWW-Authenticate', 'Bearer realm="weft", error="invalid_token"');
      throw new WeftError('UNAUTHORIZED', 'Invalid credentials');
    }
    res.locals.actor = actor;
    next();
  };
}
