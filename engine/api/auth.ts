/**
 * Bearer-token authentication for every /api route. The admin token is
 * compared in constant time; any other token is offered to the optional
 * `authenticate` hook. The resolved actor is put on `res.locals.actor`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { WeftError } from '../errors.js';

export interface Actor {
  id: string;
  roles: string[];
}

export type Authenticate = (token: string) => Promise<Actor | null>;

const ADMIN: Actor = { id: 'admin', roles: ['admin'] };

/** Hashing first makes both sides the same length, so timingSafeEqual never leaks the token's length. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

export function bearerAuth(adminToken: string, authenticate?: Authenticate): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (token === null) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new WeftError('UNAUTHORIZED', 'Missing bearer token: send Authorization: Bearer <token>');
    }
    const actor = sameToken(token, adminToken) ? ADMIN : authenticate ? await authenticate(token) : null;
    if (!actor) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new WeftError('UNAUTHORIZED', 'Invalid bearer token');
    }
    res.locals.actor = actor;
    next();
  };
}

/** The authenticated actor of a request that passed bearerAuth. */
export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}
