/**
 * A2A (Agent2Agent), both directions. Outbound: the `a2a` connector
 * (connectors/a2a) sends a service task's work to a remote agent named by a
 * connection, with a kill switch per connection. Inbound: the processes an
 * administrator exposes get an Agent Card and a JSON-RPC endpoint under
 * `/a2a/:processId`, so outside agents can hand work to them.
 */
import type { Feature } from './types.js';
import { reachOf } from '../connections/server-reach.js';
import { startA2aWorker } from '../../connectors/a2a/a2a-worker.js';
import { a2aConnectionRoutes } from './a2a/connection-routes.js';
import { exposedRoutes } from './a2a/exposed-routes.js';
import { processEndpoint } from './a2a/process-endpoint.js';

export const a2aFeature: Feature = {
  name: 'a2a',
  apiRoutes: (ctx) => [...a2aConnectionRoutes(ctx.db, reachOf(ctx.config).connections, (jobKey) => ctx.engine.wakeJob(jobKey)), ...exposedRoutes(ctx.db)],
  routes(ctx) {
    if (!ctx.apiAuth) throw new Error('the A2A endpoints need the API authentication');
    return [processEndpoint({ db: ctx.db, engine: ctx.engine, apiAuth: ctx.apiAuth, trustProxy: ctx.config.trustProxy === true })];
  },
  async start(ctx) {
    const worker = startA2aWorker({
      db: ctx.db,
      engine: ctx.engine,
      connection: ctx.redis,
      prefix: ctx.config.queuePrefix,
      connections: reachOf(ctx.config).connections,
      onError: (err) => ctx.logger.warn({ err }, 'a2a worker error'),
    });
    return () => worker.close();
  },
};
