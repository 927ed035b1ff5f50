/**
 * Every failure on /v2 as RFC 9457 `application/problem+json`, the body
 * Camunda's clients parse (`type`, `title`, `status`, `detail`, `instance`).
 * The mapping of WeftErrors, zod failures, multer and body-parser errors is
 * /api's own (api/errors.ts `toResponse`); only the envelope differs. A zod
 * failure names the field in `detail`, so the client's error message says
 * what to fix. Bugs are a 500 whose message never leaves the server.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { RETRY_AFTER_SECONDS, toResponse } from '../../api/errors.js';
import { WeftError } from '../../errors.js';
import { scrubStrings } from '../../security/redaction.js';
import { AwaitTimeout } from './await-end.js';

export const PROBLEM_TYPE = 'application/problem+json';

interface Detail {
  path?: string;
  message?: string;
}

export function sendProblem(res: Response, status: number, title: string, detail: string, instance: string): void {
  res.status(status).type(PROBLEM_TYPE).send(JSON.stringify(scrubStrings({ type: 'about:blank', title, status, detail, instance })));
}

/** "Invalid request: processDefinitionId: expected string" — the fields named, as /api's details name them. */
function detailOf(message: string, details: unknown): string {
  if (!Array.isArray(details) || details.length === 0) return message;
  const named = (details as Detail[]).filter((d) => d && typeof d.message === 'string').map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
  return named.length > 0 ? `${message}: ${named.join('; ')}` : message;
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof AwaitTimeout) return sendProblem(res, 504, 'DEADLINE_EXCEEDED', err.message, req.originalUrl.split('?')[0]);
    const mapped = toResponse(err);
    if (!mapped) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in /v2 request');
      return sendProblem(res, 500, 'INTERNAL', 'Internal server error', req.originalUrl.split('?')[0]);
    }
    if (mapped.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    const { code, message, details } = mapped.body.error;
    sendProblem(res, mapped.status, code, detailOf(message, details), req.originalUrl.split('?')[0]);
  };
}

export const problemNotFound: RequestHandler = (req) => {
  throw new WeftError('NOT_FOUND', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`);
};
