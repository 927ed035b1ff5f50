/**
 * Authentication and route-level authorization for every /api route.
 *
 * Credentials, in order: `Authorization: Bearer <token>` — the admin token
 * (compared in constant time), else the optional `authenticate` hook, else a
 * feature's edge (personal API tokens); without an Authorization header, a
 * feature's browser session (cookie). A request authenticated by cookie that
 * changes state (anything but GET/HEAD/OPTIONS) must echo the session's CSRF
 * token in `X-CSRF-Token`; Bearer requests need none (browsers never add them
 * on their own). The resolved actor is put on `res.locals.actor`.
 *
 * Which roles may call a route is part of the route's own declaration
 * (access.ts, api-routes.ts), checked on the route that matched; finer rules
 * (whose task is whose) are the routes' own (task-routes.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { WeftError } from '../errors.js';
import type { TaskAccess } from './task-routes.js';

export interface Actor {
  /** The id the engine and the audit log record, e.g. `admin` or `user:alice`. */
  id: string;
  roles: string[];
  /** The user's name as task assignments use it; absent for the admin token. */
  user?: string;
  groups?: string[];
  /** Token scopes, e.g. `worker` (job API). */
  scopes?: string[];
  /** The personal API token this actor was resolved from (its id, never the secret): what an access token minted from it refers back to. */
  tokenId?: string;
  /** How the request was authenticated. */
  via?: 'admin-token' | 'token' | 'session';
}

export type Authenticate = (token: string) => Promise<Actor | null>;

/**
 * What a feature adds at the API's edge: more credentials and the task rules
 * that need its data (Feature.apiEdge, handed to createApp by weft.ts).
 */
export interface ApiEdge {
  /** Resolves a bearer token that is not the admin token; null when unknown or revoked. */
  token?(token: string): Promise<Actor | null>;
  /** The actor of a personal token by its id, as it is now; null when unknown, revoked or its user disabled. */
  tokenById?(id: string): Promise<Actor | null>;
  /** Resolves the request's browser session; null when there is none or it expired. */
  session?(req: Request): Promise<{ actor: Actor; csrfToken: string } | null>;
  tasks?: TaskAccess;
}

const ADMIN: Actor = { id: 'admin', roles: ['admin'], via: 'admin-token' };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Hashing first makes both sides the same length, so timingSafeEqual never leaks the token's length. */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match ? match[1] : null;
}

/** The actor a bearer token stands for: the admin token, else a personal token; null for anything else. Shared by /api and /v2. */
export async function resolveToken(token: string, adminToken: string, edge?: ApiEdge, authenticate?: Authenticate): Promise<Actor | null> {
  if (sameToken(token, adminToken)) return ADMIN;
  return (await authenticate?.(token)) ?? (await edge?.token?.(token)) ?? null;
}

export function bearerAuth(adminToken: string, authenticate?: Authenticate, edge?: ApiEdge): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    let actor: Actor | null = null;
    if (header === undefined && edge?.session) {
      const session = await edge.session(req);
      if (session) {
        if (!SAFE_METHODS.has(req.method) && !sameToken(req.get('x-csrf-token') ?? '', session.csrfToken)) {
          throw new WeftError('FORBIDDEN', 'Missing or wrong CSRF token: send the X-CSRF-Token header of your session');
        }
        actor = { ...session.actor, via: 'session' };
      }
    }
    if (!actor) {
      const token = bearerToken(header);
      if (token === null) {
        res.set('WWW-Authenticate', 'Bearer');
        throw new WeftError('UNAUTHORIZED', 'Missing bearer token: send Authorization: Bearer <token>, or sign in');
      }
      actor = await resolveToken(token, adminToken, edge, authenticate);
      if (!actor) {
        res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new WeftError('UNAUTHORIZED', 'Invalid bearer token');
      }
    }
    res.locals.actor = actor;
    res.locals.apiEdge = edge;
    next();
  };
}

export const isAdmin = (actor: Actor) => actor.roles.includes('admin');

/** The authenticated actor of a request that passed bearerAuth. */
export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}

/** The feature edge found for this app, if any. */
export function apiEdge(res: Response): ApiEdge | undefined {
  return res.locals.apiEdge as ApiEdge | undefined;
}
