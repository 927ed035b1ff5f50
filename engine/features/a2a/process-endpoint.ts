/**
 * The public A2A edge of exposed processes, outside /api:
 *
 * - `GET /a2a/:processId/.well-known/agent-card.json`: the process's Agent
 *   Card (in the protocol's JSON), for exposed processes only (404 otherwise);
 * - `POST /a2a/:processId`: the JSON-RPC endpoint (the SDK's express handler
 *   over DefaultRequestHandler, with the Postgres task store and the process
 *   executor). Authenticated as /api is (a Weft Bearer token; no token: 401),
 *   and only for a caller who may start instances (INSTANCE_STARTERS, as
 *   POST /api/process-instances): anyone else gets 403 before any method runs.
 */
import express, { type RequestHandler, type Request } from 'express';
import { AgentCard } from '@a2a-js/sdk';
import { DefaultRequestHandler } from '@a2a-js/sdk/server';
import { jsonRpcHandler } from '@a2a-js/sdk/server/express';
import type { Knex } from 'knex';
import { describeAccess, INSTANCE_STARTERS, mayCall } from '../../api/access.js';
import { actorOf } from '../../api/auth.js';
import { JSON_BODY_LIMIT } from '../../api/app.js';
import { requestGuard } from '../../api/request-guard.js';
import { WeftError } from '../../errors.js';
import type { EngineApi } from '../../service/types.js';
import { ExposedRepository, type Exposure } from './exposed-repository.js';
import { processAgentCard } from './process-agent-card.js';
import { ProcessTaskStore } from './process-task-store.js';
import { processExecutor } from './process-executor.js';
import { WeftUser } from './weft-user.js';

export interface EndpointDeps {
  db: Knex;
  engine: Pick<EngineApi, 'startInstance' | 'getInstance' | 'cancelInstance'>;
  /** The /api authentication (bearerAuth with the features' edge). */
  apiAuth: RequestHandler;
  trustProxy: boolean;
}

export function processEndpoint(deps: EndpointDeps): express.Router {
  const repo = new ExposedRepository(deps.db);
  const router = express.Router({ caseSensitive: true, strict: true });

  const exposed = async (req: Request): Promise<{ exposure: Exposure; card: AgentCard }> => {
    const processId = String(req.params.processId);
    const exposure = await repo.get(processId);
    const latest = exposure && (await deps.db('process_definitions').where({ process_id: processId }).orderBy('version', 'desc').first('name'));
    if (!exposure || !latest) throw new WeftError('NOT_FOUND', `No process '${processId}' is exposed over A2A`);
    const https = req.secure || (deps.trustProxy && req.get('x-forwarded-proto') === 'https');
    const url = `${https ? 'https' : 'http'}://${req.get('host')}/a2a/${encodeURIComponent(processId)}`;
    return { exposure, card: processAgentCard(exposure, latest.name, url) };
  };

  // The path first (malformed percent-encoding, U+0000), before a route's parameters are decoded.
  router.use('/a2a', requestGuard);

  router.get('/a2a/:processId/.well-known/agent-card.json', async (req, res) => {
    const { card } = await exposed(req);
    // Not cached: an administrator may change or withdraw it at any time.
    res.set('Cache-Control', 'no-cache').json(AgentCard.toJSON(card));
  });

  const mayStart: RequestHandler = (_req, res, next) => {
    if (!mayCall(actorOf(res), INSTANCE_STARTERS)) throw new WeftError('FORBIDDEN', `A2A calls to a process need the ${describeAccess(INSTANCE_STARTERS)}, as POST /api/process-instances does`);
    next();
  };

  router.post('/a2a/:processId', deps.apiAuth, mayStart, express.json({ limit: JSON_BODY_LIMIT }), requestGuard, async (req, res, next) => {
    const { exposure, card } = await exposed(req);
    const store = new ProcessTaskStore({ engine: deps.engine, repo }, exposure);
    const executor = processExecutor(exposure.processId, { engine: deps.engine, repo, store });
    const handler = new DefaultRequestHandler(card, store, executor);
    const actor = actorOf(res);
    // v0.3 clients too (`message/send`, `tasks/get`, `tasks/cancel`; no A2A-Version header, or 0.3).
    const rpc = jsonRpcHandler({ requestHandler: handler, userBuilder: async () => new WeftUser(actor), legacyCompat: { enabled: true } });
    // The SDK's handler is a router answering at its own root.
    const url = req.url;
    req.url = '/';
    rpc(req, res, (error?: unknown) => {
      req.url = url;
      next(error);
    });
  });
  return router;
}
