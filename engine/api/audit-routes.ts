/**
 * /api/audit: the audit of no instance (deployments, users, tokens, secrets,
 * direct decisions) is a hash chain of its own; an admin can have it
 * recomputed. Admins only: those events are about the installation itself.
 */
import type { EngineApi } from '../service/types.js';
import { ADMINS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';

export function auditRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/audit', (router) => {
    router.get('/verify', { access: ADMINS, summary: 'Recompute the audit hash chain of the events of no instance (deployments, users, tokens, secrets)' }, async (_req, res) => {
      res.json(await engine.verifyAudit(null));
    });
  });
}
