/**
 * Declaring /api routes: every route names its method, its path and who may
 * call it (access.ts) in one declaration, and all of them are mounted on one
 * case-sensitive, strict router, so `/api/Users` or `/api/users/` is no route
 * at all (404) rather than the same route under a different spelling.
 *
 * The list of declared routes is kept (`catalogOf`) so tests can walk every
 * route with every role and credential.
 */
import { Router, type RequestHandler } from 'express';
import { requireAccess, type Access } from './access.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  method: Method;
  /** Express path relative to /api, e.g. `/process-definitions/:key/xml`. */
  path: string;
  access: Access;
  handlers: RequestHandler[];
}

/** What the catalog says of a route (no handlers). */
export type RouteInfo = Pick<ApiRoute, 'method' | 'path' | 'access'>;

type Declare = (path: string, access: Access, ...handlers: RequestHandler[]) => void;

/** Declares the routes under one path prefix: `routes('/jobs', (r) => r.post('/:key/complete', WORKERS, handler))`. */
export function routes(prefix: string, declare: (r: Record<Lowercase<Method>, Declare>) => void): ApiRoute[] {
  const out: ApiRoute[] = [];
  const add =
    (method: Method): Declare =>
    (path, access, ...handlers) => {
      // `/` under a prefix is the prefix itself: strict routing makes `/jobs/` another path.
      const full = path === '/' ? prefix : `${prefix}${path}`;
      out.push({ method, path: full || '/', access, handlers });
    };
  declare({ get: add('GET'), post: add('POST'), put: add('PUT'), patch: add('PATCH'), delete: add('DELETE') });
  return out;
}

/** One router for all declared routes; a route declared twice is a bug found at start. */
export function mountRoutes(router: Router, declared: ApiRoute[]): RouteInfo[] {
  const seen = new Set<string>();
  for (const route of declared) {
    const id = `${route.method} ${route.path}`;
    if (seen.has(id)) throw new Error(`Route declared twice: ${id}`);
    seen.add(id);
    const method = route.method.toLowerCase() as Lowercase<Method>;
    router[method](route.path, requireAccess(route.method, route.path, route.access), ...route.handlers);
  }
  return declared.map(({ method, path, access }) => ({ method, path, access }));
}

/** Router options for /api: paths match letter for letter, a trailing slash is another path. */
export const STRICT_ROUTING = { caseSensitive: true, strict: true } as const;
