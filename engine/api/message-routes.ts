/**
 * /api/messages: publishing a message. The answer says what it reached —
 * waiting elements (`correlated`), instances it started (`started`) — and
 * whether it was buffered for later subscribers or, reaching no one with no
 * time to live, dropped.
 */
import type { EngineApi } from '../service/types.js';
import { MESSAGE_PUBLISHERS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import { actorOf } from './auth.js';
import { parseBody, publishMessageBody } from './schemas.js';

export function messageRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/messages', (router) => {
    router.post('/', MESSAGE_PUBLISHERS, async (req, res) => {
      res.json(await engine.publishMessage(parseBody(publishMessageBody, req.body), actorOf(res).id));
    });
  });
}
