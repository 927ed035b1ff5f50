/**
 * The HTTP edge: an Express app over an EngineApi. `/health` is open; every
 * `/api` route needs a bearer token or a session and declares which roles may
 * call it (api-routes.ts); a path no route declares is a 404. Errors of any
 * kind leave as `{"error": {code, message, details?}}` (see errors.ts).
 */
import express from 'express';
import type { Logger } from 'pino';
import { createLogger } from '../security/logger.js';
import type { EngineApi } from '../service/types.js';
import { mountRoutes, STRICT_ROUTING, type ApiRoute, type RouteInfo } from './api-routes.js';
import { bearerAuth, type ApiEdge, type Authenticate } from './auth.js';
import { auditRoutes } from './audit-routes.js';
import { deploymentRoutes } from './deployment-routes.js';
import { decisionRoutes } from './decision-routes.js';
import { errorHandler, notFound } from './errors.js';
import { healthRoutes } from './health-routes.js';
import { incidentRoutes } from './incident-routes.js';
import { jobRoutes } from './job-routes.js';
import { messageRoutes } from './message-routes.js';
import { processDefinitionRoutes } from './process-definition-routes.js';
import { processInstanceRoutes } from './process-instance-routes.js';
import { signalRoutes } from './signal-routes.js';
import { taskRoutes, type TaskCompletionCheck } from './task-routes.js';
import { pageRoutes } from './pages.js';
import { faviconRoutes } from './favicon.js';
import { httpSpans } from '../observability/tracing/http-spans.js';
import { docsPage } from './openapi/docs-page.js';
import { openApiRoutes } from './openapi/openapi-routes.js';
import { requestGuard } from './request-guard.js';
import { securityHeaders } from './security-headers.js';
import { eventRoutes } from './event-routes.js';
import type { ChangeFeed } from '../queue/change-feed.js';

export interface AppDeps {
  engine: EngineApi;
  adminToken: string;
  logger?: Logger;
  /** Resolves tokens other than the admin token; null means "not a valid token". */
  authenticate?: Authenticate;
  /** A feature's credentials (personal tokens, sessions) and task rules. */
  apiEdge?: ApiEdge;
  /** Features' rules for completing the tasks they create (Feature.checkTaskCompletion). */
  taskChecks?: TaskCompletionCheck[];
  /** Count `X-Forwarded-Proto: https` as TLS (WEFT_TRUST_PROXY). */
  trustProxy?: boolean;
  /** Built browser pages to serve (dist/pages); none when absent. */
  pagesDir?: string;
  /** More `/api` routes (features beyond the engine core), mounted after the core's. */
  apiRoutes?: ApiRoute[];
  /** More routes outside `/api` (sign-in, pages' endpoints), mounted before the pages. */
  routes?: express.Router[];
  /** Which instances changed, from every engine: GET /api/events (a 503 without it). */
  changes?: ChangeFeed;
}

export const JSON_BODY_LIMIT = '1mb';

export function createApp(deps: AppDeps): express.Express {
  const { engine } = deps;
  const logger = deps.logger ?? createLogger();
  const app = express();
  app.disable('x-powered-by');
  // Paths match letter for letter everywhere: one spelling, one route.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(httpSpans());
  app.use(securityHeaders({ trustProxy: deps.trustProxy === true }));

  app.use(healthRoutes(engine, logger));
  app.use(faviconRoutes());

  const api = express.Router(STRICT_ROUTING);
  // Authenticate before reading any body, so anonymous clients cannot make us parse megabytes.
  api.use(bearerAuth(deps.adminToken, deps.authenticate, deps.apiEdge));
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  // Path, query, headers and body, before any route reads them (request-guard.ts).
  api.use(requestGuard);
  let catalog: RouteInfo[] = [];
  // The OpenAPI document describes the catalog as mounted, itself included.
  const declared = [...coreRoutes(engine, deps.taskChecks), ...eventRoutes(deps.changes), ...(deps.apiRoutes ?? []), ...openApiRoutes(() => catalog)];
  // Every /api route and who may call it, for the route × role tests and the OpenAPI document.
  catalog = mountRoutes(api, declared);
  app.locals.apiRoutes = catalog;
  api.use(notFound);
  // A page, open like the others (no data in it); before /api, whose every path needs a credential.
  app.use(docsPage());
  app.use('/api', api);
  for (const router of deps.routes ?? []) app.use(router);
  if (deps.pagesDir) app.use(pageRoutes(deps.pagesDir));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/** The engine's own /api routes (features add theirs); /v2 reads their access from here too. */
export function coreRoutes(engine: EngineApi, taskChecks?: TaskCompletionCheck[]): ApiRoute[] {
  return [
    ...deploymentRoutes(engine),
    ...processDefinitionRoutes(engine),
    ...decisionRoutes(engine),
    ...processInstanceRoutes(engine),
    ...jobRoutes(engine),
    ...messageRoutes(engine),
    ...signalRoutes(engine),
    ...taskRoutes(engine, taskChecks),
    ...incidentRoutes(engine),
    ...auditRoutes(engine),
  ];
}
