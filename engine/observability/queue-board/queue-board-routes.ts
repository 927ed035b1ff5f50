/**
 * bull-board at `/admin/queues`: Weft's BullMQ queues (with this engine's
 * prefix), for administrators only, read-only.
 *
 * - Who: the credentials of the pages and `/api` (a browser session, or a
 *   bearer token), and the admin role; 401 without, 403 for anyone else.
 * - Read-only: Postgres is the truth and Redis only delivers (DESIGN.md), so
 *   retrying, promoting or removing a BullMQ message here would be a second,
 *   unaudited way to act on jobs. Jobs are acted on through Weft's API.
 * - What it shows: the messages carry ids only (`{jobKey}`, `{taskId}`, and
 *   a W3C `traceparent` when tracing is on), never variables or secrets:
 *   a worker reads the job from the engine (queue/dispatcher.ts).
 * - Which queues: those of the job types in Postgres (known-queues.ts), read
 *   again when the board is opened, at most every few seconds.
 * - Its page asks for Google's fonts; the entry page is rendered without that
 *   link, so the board loads nothing from outside Weft (security-headers.ts
 *   gives this path its own, slightly wider, policy: the page's `<base>`).
 */
import { Router, type RequestHandler } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import { ADMINS, describeAccess, mayCall } from '../../api/access.js';
import { actorOf } from '../../api/auth.js';
import type { Dispatcher } from '../../queue/dispatcher.js';
import { knownQueues } from '../../queue/known-queues.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
const REFRESH_MS = 5000;

/** The board's entry page without its third-party stylesheet (Google Fonts): it falls back to the system fonts. */
export function withoutThirdPartyAssets(html: string): string {
  return html.replace(/<link\b[^>]*href="https:\/\/fonts\.googleapis\.com[^"]*"[^>]*>\s*/g, '');
}

/** ExpressAdapter whose entry page is rendered, then stripped of what it would fetch from outside. */
class WeftBoardAdapter extends ExpressAdapter {
  override setViewsPath(viewPath: string): ExpressAdapter {
    super.setViewsPath(viewPath);
    const app = this.getRouter();
    const render = app.engines['.ejs'];
    app.engine('ejs', (file: string, data: object, done: (err: unknown, html?: string) => void) =>
      render(file, data, (err: unknown, html?: string) => done(err, html === undefined ? html : withoutThirdPartyAssets(html))),
    );
    return this;
  }
}

/**
 * A browser that is not signed in is sent to the sign-in page, and back
 * here after it; a program (anything not asking for HTML, or a bearer that
 * was refused) gets the 401.
 */
export function signInFirst(authenticate: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      await authenticate(req, res, next);
    } catch (error) {
      const browser = req.method === 'GET' && req.get('authorization') === undefined && req.accepts(['json', 'html']) === 'html';
      if (!(error instanceof WeftError && error.code === 'UNAUTHORIZED' && browser)) throw error;
      res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
    }
  };
}

export function queueBoardRoutes(deps: { db: Knex; dispatcher: Dispatcher; extraQueues?: readonly string[] }, authenticate: RequestHandler): Router {
  const adapter = new WeftBoardAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  const board = createBullBoard({
    queues: [],
    serverAdapter: adapter,
    options: {
      uiConfig: {
        boardTitle: `Weft queues (${deps.dispatcher.prefix})`,
        favIcon: { default: '/favicon.svg', alternative: '/favicon.ico' },
        hideDocsLink: true,
      },
    },
  });
  let shown = '';
  let readAt = 0;
  const refresh: RequestHandler = async (_req, _res, next) => {
    if (Date.now() - readAt < REFRESH_MS) return next();
    readAt = Date.now();
    const queues = await knownQueues(deps.db, deps.extraQueues);
    if (queues.join('\n') !== shown) {
      shown = queues.join('\n');
      board.replaceQueues(queues.map((name) => new BullMQAdapter(deps.dispatcher.queue(name), { readOnlyMode: true, allowRetries: false })));
    }
    next();
  };
  const adminsOnly: RequestHandler = (_req, res, next) => {
    if (!mayCall(actorOf(res), ADMINS)) throw new WeftError('FORBIDDEN', `${QUEUE_BOARD_PATH} needs the ${describeAccess(ADMINS)}`);
    next();
  };
  const router = Router();
  router.use(QUEUE_BOARD_PATH, signInFirst(authenticate), adminsOnly, refresh, adapter.getRouter());
  return router;
}
