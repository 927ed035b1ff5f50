/**
 * POST /oauth/token: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4)
 * Camunda's clients run before their first call when given an OAuth URL.
 * The client id is the Weft token's user name (`admin` for the admin token),
 * the client secret is the token itself; in the form body or as HTTP Basic
 * (client_secret_basic). The answer is a short-lived JWT (jwt.ts) the /v2
 * routes accept. Errors are OAuth's own JSON (`{error, error_description}`),
 * since OAuth clients parse that, not problem+json.
 */
import express, { type ErrorRequestHandler, type Response } from 'express';
import { requestGuard } from '../../api/request-guard.js';
import { WeftError } from '../../errors.js';
import { signToken } from './jwt.js';
import { basic, userNameOf, type TokenResolver } from './v2-auth.js';

function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export const OAUTH_TOKEN_PATH = '/oauth/token';

function oauthError(res: Response, status: number, error: string, description: string): void {
  if (status === 401) res.set('WWW-Authenticate', 'Basic realm="weft"');
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

function credentials(req: express.Request): { id?: string; secret?: string } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const match = /^Basic[ \t]+(\S+)$/i.exec(req.get('authorization') ?? '');
  const given = match ? basic(match[1]) : null;
  // RFC 6749 §2.3.1: the client id and secret are form-encoded before they go into Basic.
  if (given) return { id: formDecoded(given.user), secret: formDecoded(given.password) };
  return { id: text(body.client_id), secret: text(body.client_secret) };
}

export function oauthRoutes(resolve: TokenResolver): express.Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.post(OAUTH_TOKEN_PATH, express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' }), requestGuard, async (req, res) => {
    const grant = (req.body as Record<string, unknown> | undefined)?.grant_type;
    if (grant !== 'client_credentials') return oauthError(res, 400, 'unsupported_grant_type', "Only grant_type 'client_credentials' is supported");
    const { id, secret } = credentials(req);
    if (!id || !secret) return oauthError(res, 400, 'invalid_request', 'Send client_id (the token\'s user name, admin for the admin token) and client_secret (the Weft API token)');
    const actor = await resolve.token(secret);
    const ref = actor && resolve.refOf(actor);
    if (!actor || !ref || userNameOf(actor) !== id) return oauthError(res, 401, 'invalid_client', 'Unknown client or wrong secret');
    const { token, expiresIn } = signToken(await resolve.secret(), actor, ref);
    res.set('Cache-Control', 'no-store').json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  });
  // A body that cannot be parsed, or that the request guard refuses, is the client's mistake, answered in OAuth's words.
  const parseErrors: ErrorRequestHandler = (err, _req, res, next) => {
    const type = (err as { type?: string }).type;
    if (type?.startsWith('entity.') || type?.endsWith('.unsupported')) return oauthError(res, 400, 'invalid_request', 'Malformed request body');
    if (err instanceof WeftError && err.status >= 400 && err.status < 500) return oauthError(res, err.status === 401 ? 401 : 400, 'invalid_request', err.message);
    next(err);
  };
  router.use(OAUTH_TOKEN_PATH, parseErrors);
  return router;
}
