/**
 * GET /v2/topology, GET /v2/status, GET /v2/authentication/me: what clients
 * ask before anything else (the Modeler checks the topology to decide it is
 * talking REST). Weft shows itself as one broker with one healthy partition:
 * every engine process serves every request, so there is nothing to route.
 * Status is unauthenticated (as /health is): 204 when Postgres and Redis
 * answer, 503 otherwise.
 */
import express from 'express';
import type { Actor } from '../../api/auth.js';
import type { EngineApi } from '../../service/types.js';
import { DEFAULT_TENANT } from './search.js';
import { userNameOf } from './v2-auth.js';

const VERSION = '8.8.0';

export function statusRoute(engine: EngineApi): express.RequestHandler {
  return async (_req, res) => {
    const health = await engine.health().catch(() => ({ postgres: false, redis: false }));
    res.status(health.postgres && health.redis ? 204 : 503).end();
  };
}

/** Any authenticated caller may ask (as any caller of /api may read GET /api/me). */
export function clusterRoutes(router: express.Router, host: (req: express.Request) => { host: string; port: number }): void {
  router.get('/topology', (req, res) => {
    const { host: name, port } = host(req);
    res.json({
      brokers: [{ nodeId: 0, host: name, port, version: VERSION, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] }],
      clusterId: null,
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: VERSION,
      lastCompletedChangeId: '-1',
    });
  });
  router.get('/authentication/me', (_req, res) => {
    const actor = res.locals.actor as Actor;
    res.json({
      username: userNameOf(actor) ?? actor.id,
      displayName: userNameOf(actor) ?? actor.id,
      email: null,
      authorizedComponents: ['*'],
      tenants: [{ tenantId: DEFAULT_TENANT, name: 'Default', description: null }],
      groups: actor.groups ?? [],
      roles: actor.roles,
      salesPlanType: null,
      c8Links: {},
      canLogout: false,
    });
  });
}
