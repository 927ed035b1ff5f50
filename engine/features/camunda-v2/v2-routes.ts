/**
 * The /v2 router: Camunda 8's Orchestration Cluster REST API over Weft's
 * engine. In order, as /api: status (unauthenticated), authentication before
 * any body is read, the JSON within /api's limit, the request guard; each route
 * then checks the roles of the /api route it stands for (v2-access.ts).
 * Paths match letter for letter; every failure is problem+json (problem.ts).
 */
import express from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { STRICT_ROUTING } from '../../api/api-routes.js';
import { JSON_BODY_LIMIT } from '../../api/app.js';
import { requestGuard } from '../../api/request-guard.js';
import type { EngineApi } from '../../service/types.js';
import { clusterRoutes, statusRoute } from './cluster-routes.js';
import { problemHandler, problemNotFound } from './problem.js';
import { v2Auth, type TokenResolver } from './v2-auth.js';

export const V2_PATH = '/v2';

export interface V2Deps {
  db: Knex;
  engine: EngineApi;
  resolve: TokenResolver;
  logger: Logger;
  /** Routes added by the parts of the adapter (deployments, process instances, …), given the authenticated router. */
  parts: ((router: express.Router) => void)[];
}

function hostOf(req: express.Request): { host: string; port: number } {
  const [host, port] = (req.get('host') ?? 'localhost').split(':');
  return { host, port: Number(port) || (req.protocol === 'https' ? 443 : 80) };
}

export function v2Routes(deps: V2Deps): express.Router {
  const inner = express.Router(STRICT_ROUTING);
  inner.get('/status', statusRoute(deps.engine));
  inner.use(v2Auth(deps.resolve));
  inner.use(express.json({ limit: JSON_BODY_LIMIT }));
  inner.use(requestGuard);
  clusterRoutes(inner, hostOf);
  for (const part of deps.parts) part(inner);
  inner.use(problemNotFound);
  inner.use(problemHandler(deps.logger));

  const outer = express.Router(STRICT_ROUTING);
  outer.use(V2_PATH, inner);
  return outer;
}
