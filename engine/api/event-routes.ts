/**
 * GET /api/events: a server-sent event stream that says which instances
 * changed (ids only; the page refetches what it shows), fed by the commits
 * of every engine through the change feed (queue/change-feed.ts).
 *
 * A stream is a long request, so it is bounded: at most MAX_STREAMS per
 * engine process (503 past that), a comment every HEARTBEAT_MS (proxies drop
 * idle connections; a dead client is noticed on write), and it ends after
 * MAX_STREAM_MS, when the browser reconnects and is authenticated again —
 * a revoked token or an expired session cannot keep listening for ever.
 * The credential comes as it does for every /api route (the session cookie,
 * or a bearer header: the pages read the stream with fetch, not
 * EventSource, so no token ever goes into a URL).
 */
import type { Response } from 'express';
import { OPERATORS } from './access.js';
import { routes, type ApiRoute } from './api-routes.js';
import { WeftError } from '../errors.js';
import type { Change, ChangeFeed } from '../queue/change-feed.js';

export const MAX_STREAMS = 200;
export const HEARTBEAT_MS = 15_000;
export const MAX_STREAM_MS = 10 * 60_000;
/** How long a browser waits before reconnecting. */
const RETRY_MS = 2000;

export function eventRoutes(feed: ChangeFeed | undefined, limits = { maxStreams: MAX_STREAMS, heartbeatMs: HEARTBEAT_MS, maxStreamMs: MAX_STREAM_MS }): ApiRoute[] {
  let open = 0;
  return routes('/events', (router) => {
    router.get('/', OPERATORS, (req, res) => {
      if (!feed) throw new WeftError('SERVICE_UNAVAILABLE', 'This server has no change feed');
      if (open >= limits.maxStreams) throw new WeftError('SERVICE_UNAVAILABLE', `Too many event streams on this server (${limits.maxStreams}); try again later`);
      open++;
      res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.flushHeaders();
      send(res, `retry: ${RETRY_MS}\nevent: ready\ndata: {}\n\n`);
      const stop = feed.listen(
        (change: Change) => send(res, `event: instances\ndata: ${JSON.stringify(change)}\n\n`),
        () => res.end(),
      );
      const heartbeat = setInterval(() => send(res, ': ping\n\n'), limits.heartbeatMs);
      const end = setTimeout(() => res.end(), limits.maxStreamMs);
      let closed = false;
      const cleanup = () => {
        if (closed) return;
        closed = true;
        open--;
        stop();
        clearInterval(heartbeat);
        clearTimeout(end);
      };
      req.on('close', cleanup);
      res.on('close', cleanup);
    });
  });
}

function send(res: Response, text: string): void {
  if (!res.writableEnded && !res.destroyed) res.write(text);
}
