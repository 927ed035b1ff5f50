/**
 * /api/signals: broadcasting a signal. The answer comes once it is
 * delivered, and says what it reached: how many waiting elements got it
 * (`delivered`) and the instances it started (`started`).
 */
import type { EngineApi } from '../service/types.js';
import { SIGNAL_BROADCASTERS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import { actorOf } from './auth.js';
import { bodyOf } from './route-input.js';
import { broadcastSignalBody } from './schemas.js';

export function signalRoutes(engine: EngineApi): ApiRoute[] {
  return routes('/signals', (router) => {
    router.post('/', { access: SIGNAL_BROADCASTERS, summary: 'Broadcast a signal to every waiting element and signal start event', body: broadcastSignalBody }, async (_req, res) => {
      res.json(await engine.broadcastSignal(bodyOf(res, broadcastSignalBody), actorOf(res).id));
    });
  });
}
