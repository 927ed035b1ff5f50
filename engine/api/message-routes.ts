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
import { bodyOf } from './route-input.js';
import { publishMessageBody } from './schemas.js';

export function messageRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/messages', (router) => {
    router.post('/', { access: MESSAGE_PUBLISHERS, summary: 'Publish a message: correlate it to waiting elements, start instances, buffer it for its time to live', body: publishMessageBody }, async (_req, res) => {
      res.json(await engine.publishMessage(bodyOf(res, publishMessageBody), actorOf(res).id));
    });
  });
}
