/**
 * POST /auth/sign-in and /auth/sign-out, outside /api. Both take JSON or a
 * plain HTML form. A wrong user name and a wrong password get the same
 * answer (and cost the same time); repeated failures for one user name from
 * one address (5 in 15 minutes), or from one address over all names (50), get 429. A cross-site sign-in (Origin of another host) is refused,
 * so nobody can sign a visitor into an account of theirs.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { sameToken } from '../../api/auth.js';
import { requestGuard } from '../../api/request-guard.js';
import { WeftError } from '../../errors.js';
import { AttemptLimiter, type Limiter } from './attempt-limiter.js';
import { audit, IdentityRepository } from './identity-repository.js';
import { actorId } from './roles.js';
import { verifyPassword } from './passwords.js';
import type { Sessions } from './sessions.js';

const signInBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
  next: z.string().max(500).optional(),
});

const WRONG = 'Wrong user name or password';

export interface SignInLimits {
  /** Attempts per user name from one address (guessing one password). */
  perUser?: Limiter;
  /** Attempts from one address over all user names (spraying one password over many users). */
  perAddress?: Limiter;
}

export function signInRoutes(identity: IdentityRepository, sessions: Sessions, limits: SignInLimits = {}): express.Router {
  const limiter = limits.perUser ?? new AttemptLimiter({ maxAttempts: 5 });
  const addressLimiter = limits.perAddress ?? new AttemptLimiter({ maxAttempts: 50 });
  const router = express.Router();
  // The same guard as /api's (NUL, lone surrogates, bad escapes), after the body is parsed.
  const body = [express.json({ limit: '10kb' }), express.urlencoded({ extended: false, limit: '10kb' }), requestGuard];

  router.post('/auth/sign-in', ...body, async (req, res) => {
    refuseCrossSite(req);
    const form = Boolean(req.is('urlencoded'));
    const parsed = signInBody.safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, form, 400, 'BAD_REQUEST', 'Send a user name and a password');
    const { username, password } = parsed.data;
    const next = safeNext(parsed.data.next);
    const key = `${username.toLowerCase()}|${req.ip ?? ''}`;
    const address = req.ip ?? '';
    // Each attempt is counted before its password is verified (see attempt-limiter.ts),
    // so concurrent requests cannot all pass a check made before any of them failed.
    const wait = await takeAttempt(limiter, key, addressLimiter, address);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return fail(res, form, 429, 'TOO_MANY_REQUESTS', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s)`, next);
    }
    const credentials = await identity.credentials(username);
    const ok = await verifyPassword(password, credentials?.passwordHash);
    if (!ok || !credentials) return fail(res, form, 401, 'UNAUTHORIZED', WRONG, next);
    // A success clears the user name's count and gives the address its attempt back: only failures hold off.
    await Promise.all([limiter.reset(key), addressLimiter.refund(address)]);
    const session = await sessions.create(credentials.userId);
    await audit(sessions.db, actorId(username), 'SIGNED_IN', { user: username, ip: req.ip ?? null });
    sessions.setCookie(req, res, session.token, session.expiresAt);
    if (form) return res.redirect(303, next);
    const user = await identity.user(username);
    res.json({ user: user.name, role: user.role, groups: user.groups, csrfToken: session.csrfToken, next });
  });

  router.post('/auth/sign-out', ...body, async (req, res) => {
    const session = await sessions.resolve(req);
    if (session) {
      const given = req.get('x-csrf-token') ?? (typeof req.body?.csrf === 'string' ? req.body.csrf : '');
      if (!sameToken(given, session.csrfToken)) throw new WeftError('FORBIDDEN', 'Missing or wrong CSRF token');
      await sessions.destroy(req);
      await audit(sessions.db, session.actor.id, 'SIGNED_OUT', { user: session.actor.user });
    }
    sessions.clearCookie(req, res);
    if (req.is('urlencoded')) return res.redirect(303, '/sign-in');
    res.json({ ok: true });
  });
  return router;
}

/** Takes an attempt from both limits, or from neither: 0, or the seconds to wait. */
async function takeAttempt(perUser: Limiter, key: string, perAddress: Limiter, address: string): Promise<number> {
  const userWait = await perUser.take(key);
  if (userWait > 0) return userWait;
  const addressWait = await perAddress.take(address);
  if (addressWait > 0) await perUser.refund(key);
  return addressWait;
}

function fail(res: Response, form: boolean, status: number, code: string, message: string, next = '/inbox') {
  if (form) return res.redirect(303, `/sign-in?error=${encodeURIComponent(message)}&next=${encodeURIComponent(next)}`);
  res.status(status).json({ error: { code, message } });
}

/** Only a path on this site: no scheme, no host, no `//evil.example`. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/inbox';
}

function refuseCrossSite(req: Request): void {
  const origin = req.get('origin');
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new WeftError('FORBIDDEN', 'Sign-in from another site is not allowed');
  }
  if (host !== req.get('host')) throw new WeftError('FORBIDDEN', 'Sign-in from another site is not allowed');
}
