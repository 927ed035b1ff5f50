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
import { resolveToken, type Actor, type ApiEdge } from '../../api/auth.js';
import { WeftError } from '../../errors.js';
import { isAdminRef, looksLikeJwt, signingSecret, tokenRef, verifyToken } from './jwt.js';

const ADMIN: Actor = { id: 'admin', roles: ['admin'], via: 'admin-token' };

/** The user name a Basic or client-credentials caller gives for a token: `admin` for the admin token, the user's name otherwise. */
export const userNameOf = (actor: Actor) => (actor.via === 'admin-token' ? 'admin' : actor.user);

/** How /v2 and /oauth/token turn what a client sends into a Weft actor. */
export interface TokenResolver {
  /** A Weft API token (the admin token or a personal one), as /api resolves it. */
  token(token: string): Promise<Actor | null>;
  /** What an access token minted for this actor refers back to; null when it cannot be minted one. */
  refOf(actor: Actor): string | null;
  /** The actor an access token's reference stands for now: null once the token is revoked, its user disabled or the admin token changed. */
  byRef(ref: string): Promise<Actor | null>;
  /** The signing secret, read once per process (every engine shares the one in settings). */
  secret(): Promise<Buffer>;
}

export function tokenResolver(db: Knex, adminToken: string, edge: ApiEdge | undefined): TokenResolver {
  let secret: Promise<Buffer> | undefined;
  return {
    token: (token) => resolveToken(token, adminToken, edge),
    refOf: (actor) => tokenRef(actor, adminToken),
    byRef: async (ref) => (isAdminRef(ref, adminToken) ? ADMIN : ((await edge?.tokenById?.(ref)) ?? null)),
    // A failed read is not kept: the next request tries again.
    secret: () => (secret ??= signingSecret(db).catch((err: unknown) => ((secret = undefined), Promise.reject(err)))),
  };
}

/** HTTP Basic credentials (RFC 7617) from the header's base64 part; null when there is no colon. */
export function basic(value: string): { user: string; password: string } | null {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? null : { user: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

async function fromAccessToken(resolve: TokenResolver, value: string): Promise<Actor | null> {
  const claims = verifyToken(await resolve.secret(), value);
  if (!claims) return null;
  const actor = await resolve.byRef(claims.tid);
  // The reference must still be the subject it was minted for.
  return actor && actor.id === claims.sub ? actor : null;
}

export function v2Auth(resolve: TokenResolver): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme, value] = header.trim().split(/[ \t]+/, 2);
    let actor: Actor | null = null;
    if (/^bearer$/i.test(scheme ?? '') && value) {
      actor = looksLikeJwt(value) ? await fromAccessToken(resolve, value) : await resolve.token(value);
    } else if (/^basic$/i.test(scheme ?? '') && value) {
      const given = basic(value);
      const found = given ? await resolve.token(given.password) : null;
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
