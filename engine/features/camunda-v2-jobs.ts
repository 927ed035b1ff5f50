/**
 * Camunda 8 REST API v2, the job routes (/v2/jobs), mounted on their own
 * until the /v2 core mounts `v2JobRoutes`: a Bearer Weft token resolved
 * exactly as /mcp resolves it (bearerAuth: the admin token, else the feature
 * edge's personal tokens; never a browser session), errors as problem+json.
 */
import express from 'express';
import { bearerAuth } from '../api/auth.js';
import { JSON_BODY_LIMIT } from '../api/app.js';
import { requestGuard } from '../api/request-guard.js';
import type { Feature } from './types.js';
import { v2JobRoutes } from './camunda-v2/jobs/job-routes.js';
import { JobWaiters } from './camunda-v2/jobs/long-poll.js';
import { problemHandler } from './camunda-v2/jobs/problem.js';

/** Per engine (its Redis connection): two engines in one process (tests) keep their own. */
const waitersOf = new Map<unknown, JobWaiters>();

export const camundaV2JobsFeature: Feature = {
  name: 'camunda-v2-jobs',
  routes(ctx) {
    const waiters = new JobWaiters({ connection: ctx.redis, prefix: ctx.config.queuePrefix, logger: ctx.logger });
    waitersOf.set(ctx.redis, waiters);
    const edge = ctx.apiEdge;
    const router = express.Router({ caseSensitive: true, strict: true });
    router.use(
      '/v2/jobs',
      bearerAuth(ctx.adminToken, undefined, edge && { token: edge.token, tasks: edge.tasks }),
      express.json({ limit: JSON_BODY_LIMIT }),
      requestGuard,
      v2JobRoutes(ctx, waiters),
      problemHandler(ctx.logger),
    );
    return [router];
  },
  async start(ctx) {
    return async () => {
      await waitersOf.get(ctx.redis)?.close();
      waitersOf.delete(ctx.redis);
    };
  },
};
