/**
 * `GET /metrics`: the Prometheus text exposition (weft-metrics.ts).
 *
 * Not public: the figures name every process id and show its volumes. It
 * takes the credentials `/api` takes (a bearer token — Prometheus sends
 * `Authorization: Bearer` with `authorization.credentials_file` — or a
 * browser session) and the admin or operator role: 401 without
 * credentials, 403 for a modeler or a plain user.
 */
import { Router, type RequestHandler } from 'express';
import { WeftError } from '../../errors.js';
import { OPERATORS, describeAccess, mayCall } from '../../api/access.js';
import { actorOf } from '../../api/auth.js';
import { STRICT_ROUTING } from '../../api/api-routes.js';
import type { WeftMetrics } from './weft-metrics.js';

export const METRICS_ACCESS = OPERATORS;

export function metricsRoutes(metrics: WeftMetrics, authenticate: RequestHandler): Router {
  const router = Router(STRICT_ROUTING);
  router.get('/metrics', authenticate, async (_req, res) => {
    if (!mayCall(actorOf(res), METRICS_ACCESS)) throw new WeftError('FORBIDDEN', `GET /metrics needs the ${describeAccess(METRICS_ACCESS)}`);
    const text = await metrics.text();
    res.set('Cache-Control', 'no-store');
    res.type(metrics.contentType).send(text);
  });
  return router;
}
