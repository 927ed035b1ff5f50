/**
 * Who may call a /v2 route: exactly who may call the /api route it stands
 * for. The Access is read from the core routes' own declarations (as the MCP
 * tools do), so a change of roles there changes /v2 with it; a /v2 route
 * naming an /api route that does not exist is a bug found at start.
 */
import type { RequestHandler } from 'express';
import { describeAccess, mayCall, type Access } from '../../api/access.js';
import type { ApiRoute } from '../../api/api-routes.js';
import type { Actor } from '../../api/auth.js';
import { coreRoutes } from '../../api/app.js';
import { WeftError } from '../../errors.js';
import type { EngineApi } from '../../service/types.js';

export type ApiRouteId = `${'GET' | 'POST'} /${string}`;

export function coreAccess(engine: EngineApi): (route: ApiRouteId) => Access {
  const declared: ApiRoute[] = coreRoutes(engine);
  const byId = new Map(declared.map((r) => [`${r.method} ${r.path}`, r.access]));
  return (route) => {
    const access = byId.get(route);
    if (!access) throw new Error(`A /v2 route names no declared /api route: ${route}`);
    return access;
  };
}

/** The first handler of a /v2 route standing for `route`. */
export function allow(access: Access, route: ApiRouteId): RequestHandler {
  return (req, res, next) => {
    const actor = res.locals.actor as Actor | undefined;
    if (!actor) throw new WeftError('UNAUTHORIZED', 'Not authenticated');
    const [method, path] = route.split(' ');
    if (!mayCall(actor, access)) throw new WeftError('FORBIDDEN', `${req.method} ${req.baseUrl}${req.route?.path ?? ''} needs the ${describeAccess(access)} (as ${method} /api${path} does)`);
    next();
  };
}
