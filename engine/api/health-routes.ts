/**
 * GET /health — unauthenticated, for load balancers and `docker compose`
 * health checks: 200 when Postgres and Redis answer, 503 naming what is down.
 */
import { Router } from 'express';
import type { Logger } from 'pino';
import type { EngineApi } from '../service/types.js';

export function healthRoutes(engine: EngineApi, logger: Logger): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    let status: { postgres: boolean; redis: boolean };
    try {
      status = await engine.health();
    } catch (err) {
      logger.error({ err }, 'health check failed');
      status = { postgres: false, redis: false };
    }
    const down = (['postgres', 'redis'] as const).filter((name) => !status[name]);
    if (down.length === 0) {
      res.json({ status: 'ok', postgres: true, redis: true });
    } else {
      res.status(503).json({ status: 'degraded', postgres: status.postgres, redis: status.redis, down });
    }
  });
  return router;
}
