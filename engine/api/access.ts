/**
 * Who may call a route: each /api route declares it where it is declared
 * (api-routes.ts), and the check runs as the first handler of the route that
 * matched — so authorization is decided on exactly the match that routing made,
 * never on a second view of the path (issue #8: a case-sensitive role table
 * beside case-insensitive routing let `PATCH /api/Users/<self>` through).
 * A path that no route declares is a 404: nothing runs.
 *
 * Finer rules (whose task is whose, whose token, which job types a worker may
 * take) are the routes' own and come after this check.
 */
import type { RequestHandler } from 'express';
import { WeftError } from '../errors.js';
import type { Actor } from './auth.js';

/** The roles a user can have. */
export const ROLES = ['admin', 'modeler', 'operator', 'user'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Token scopes an admin can grant a personal token: `worker` lets it use the
 * job API; `agent-worker` lets it also take and finish jobs of the agent queue
 * (the governed agent worker's jobs: nobody else may complete those, issue #8).
 */
export const SCOPES = ['worker', 'agent-worker'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Access {
  roles: readonly Role[];
  /** Token scopes that also grant the route, whatever the token's role. */
  scopes?: readonly Scope[];
}

export const EVERYONE: Access = { roles: ROLES };
/** Everyone who is not a plain inbox user. */
export const STAFF: Access = { roles: ['admin', 'modeler', 'operator'] };
export const ADMINS: Access = { roles: ['admin'] };
export const OPERATORS: Access = { roles: ['admin', 'operator'] };
export const MODELERS: Access = { roles: ['admin', 'modeler'] };
/**
 * Starting process instances (POST /api/process-instances, and an outside
 * agent's A2A message to an exposed process): modelers start what they drew,
 * operations run them; plain inbox users and worker tokens may not.
 */
export const INSTANCE_STARTERS: Access = STAFF;
/** The job API: admins, and tokens with a worker scope. */
export const WORKERS: Access = { roles: ['admin'], scopes: ['worker', 'agent-worker'] };
/**
 * Publishing messages: the systems around a process (worker tokens) and
 * operations. A message changes running instances and starts new ones, so
 * modelers and inbox users may not.
 */
export const MESSAGE_PUBLISHERS: Access = { roles: ['admin', 'operator'], scopes: ['worker', 'agent-worker'] };
/** Broadcasting signals: as publishing messages, for the same reasons (a signal changes running instances and starts new ones). */
export const SIGNAL_BROADCASTERS: Access = MESSAGE_PUBLISHERS;

export function mayCall(actor: Actor, access: Access): boolean {
  return actor.roles.some((role) => (access.roles as readonly string[]).includes(role)) || (access.scopes ?? []).some((scope) => actor.scopes?.includes(scope));
}

export function describeAccess(access: Access): string {
  const roles = `${access.roles.join(' or ')} role`;
  return access.scopes?.length ? `${roles}, or a token with the ${access.scopes.join(' or ')} scope` : roles;
}

/** The first handler of every declared /api route. */
export function requireAccess(method: string, path: string, access: Access): RequestHandler {
  return (_req, res, next) => {
    const actor = res.locals.actor as Actor | undefined;
    if (!actor) throw new WeftError('UNAUTHORIZED', 'Not authenticated');
    if (!mayCall(actor, access)) throw new WeftError('FORBIDDEN', `${method} /api${path} needs the ${describeAccess(access)}`);
    next();
  };
}
