/**
 * Camunda 8's REST API (v2) on Weft, so Camunda's own clients (the
 * TypeScript client, the SDK's REST client, c8ctl, the Modeler) work against
 * Weft with only the address and a token changed (README "Coming from
 * Camunda 8"): /v2 routes, each allowed to exactly the callers of its /api
 * equivalent, and POST /oauth/token for clients configured for OAuth.
 */
import type { Feature, RouteContext } from '../types.js';
import { deploymentPart } from './deployment-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { processInstancePart } from './process-instance-routes.js';
import { coreAccess } from './v2-access.js';
import { tokenResolver } from './v2-auth.js';
import { v2Routes } from './v2-routes.js';
import { v2JobRoutes } from './jobs/job-routes.js';
import { JobWaiters } from './jobs/long-poll.js';
import { incidentPart } from './incidents/incident-routes.js';
import { messagePart } from './messages/message-routes.js';
import { variablePart } from './variables/variable-routes.js';
import { userTaskPart } from './user-tasks/user-task-routes.js';
import { taskActions } from '../../api/task-routes.js';
import { processDefinitionPart } from './process-definitions/definition-routes.js';

/** Long polls waiting per engine (its Redis connection): two engines in one process (tests) keep their own. */
const waitersOf = new Map<unknown, JobWaiters>();

export const camundaV2Feature: Feature = {
  name: 'camunda-v2',
  routes(ctx: RouteContext) {
    const resolve = tokenResolver(ctx.db, ctx.adminToken, ctx.apiEdge);
    const access = coreAccess(ctx.engine);
    const deps = { db: ctx.db, engine: ctx.engine, access };
    const waiters = new JobWaiters({ connection: ctx.redis, prefix: ctx.config.queuePrefix, logger: ctx.logger });
    waitersOf.set(ctx.redis, waiters);
    const jobsPart = (router: import('express').Router) => router.use('/jobs', v2JobRoutes(ctx, waiters));
    return [oauthRoutes(resolve), v2Routes({ db: ctx.db, engine: ctx.engine, resolve, logger: ctx.logger, parts: [deploymentPart(deps), processInstancePart(deps), jobsPart, messagePart(deps), incidentPart(deps), variablePart(deps), processDefinitionPart(deps), userTaskPart({ ...deps, tasks: taskActions(ctx.engine, ctx.taskChecks), taskAccess: ctx.apiEdge?.tasks })] })];
  },
  async start(ctx) {
    return async () => {
      await waitersOf.get(ctx.redis)?.close();
      waitersOf.delete(ctx.redis);
    };
  },
};
