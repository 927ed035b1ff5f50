/**
 * The HTTP edge: an Express app over an EngineApi. `/health` is open; every
 * `/api` route needs a bearer token. Errors of any kind leave as
 * `{"error": {code, message, details?}}` (see errors.ts).
 */
import express from 'express';
import { pino, type Logger } from 'pino';
import type { EngineApi } from '../service/types.js';
import { bearerAuth, type ApiEdge, type Authenticate } from './auth.js';
import { deploymentRoutes } from './deployment-routes.js';
import { errorHandler, notFound } from './errors.js';
import { healthRoutes } from './health-routes.js';
import { incidentRoutes } from './incident-routes.js';
import { jobRoutes } from './job-routes.js';
import { processDefinitionRoutes } from './process-definition-routes.js';
import { processInstanceRoutes } from './process-instance-routes.js';
import { taskRoutes } from './task-routes.js';
import { pageRoutes } from './pages.js';
import { requestGuard } from './request-guard.js';

export interface AppDeps {
  engine: EngineApi;
  adminToken: string;
  logger?: Logger;
  /** Resolves tokens other than the admin token; null means "not a valid token". */
  authenticate?: Authenticate;
  /** A feature's credentials (personal tokens, sessions) and task rules. */
  apiEdge?: ApiEdge;
  /** Built browser pages to serve (dist/pages); none when absent. */
  pagesDir?: string;
  /** More `/api` routes (features beyond the engine core), mounted after the core's. */
  apiRoutes?: { path: string; router: express.Router }[];
  /** More routes outside `/api` (sign-in, pages' endpoints), mounted before the pages. */
  routes?: express.Router[];
}

export const JSON_BODY_LIMIT = '1mb';

export function createApp(deps: AppDeps): express.Express {
  const { engine } = deps;
  const logger = deps.logger ?? pino();
  const app = express();
  app.disable('x-powered-by');

  app.use(healthRoutes(engine, logger));

  const api = express.Router();
  // Authenticate before reading any body, so anonymous clients cannot make us parse megabytes.
  api.use(bearerAuth(deps.adminToken, deps.authenticate, deps.apiEdge));
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  // Path, query, headers and body, before any route reads them (request-guard.ts).
  api.use(requestGuard);
  api.use('/deployments', deploymentRoutes(engine));
  api.use('/process-definitions', processDefinitionRoutes(engine));
  api.use('/process-instances', processInstanceRoutes(engine));
  api.use('/jobs', jobRoutes(engine));
  api.use('/tasks', taskRoutes(engine));
  api.use('/incidents', incidentRoutes(engine));
  for (const extra of deps.apiRoutes ?? []) api.use(extra.path, extra.router);
  api.use(notFound);
  app.use('/api', api);
  for (const router of deps.routes ?? []) app.use(router);
  if (deps.pagesDir) app.use(pageRoutes(deps.pagesDir));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
