/**
 * /api/signals: broadcasting a signal. The answer comes once it is
 * delivered, and says what it reached: how many waiting elements got it
 * (`delivered`) and the instances it started (`started`).
 */
import type { EngineApi } from '../service/types.js';
import { SIGNAL_BROADCASTERS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import { actorOf } from './auth.js';
import { broadcastSignalBody, parseBody } from './schemas.js';

export function signalRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/signals', (router) => {
    router.post('/', SIGNAL_BROADCASTERS, async (req, res) => {
      res.json(await engine.broadcastSignal(parseBody(broadcastSignalBody, req.body), actorOf(res).id));
    });
  });
}
