/**
 * Errors of the /v2 job routes as RFC 9457 problem details
 * (`application/problem+json`, `{type, title, status, detail, instance}`),
 * the shape Camunda's clients read. What an error maps to (status, message)
 * is decided once for all of Weft (engine/api/errors.ts `toResponse`); this
 * only re-dresses it. Local to the jobs routes until the /v2 core's helper
 * replaces it.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { RETRY_AFTER_SECONDS, toResponse } from '../../../api/errors.js';
import { scrubStrings } from '../../../security/redaction.js';

const TITLES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'INVALID_STATE',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'SERVICE_UNAVAILABLE',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
}

export function problem(status: number, detail: string, instance: string): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL'), status, detail, instance };
}

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(scrubStrings(p)));
}

/** A zod issue list as one sentence naming each field (`maxJobsToActivate: …; type: …`). */
function detailOf(body: { error: { message: string; details?: unknown } }): string {
  const details = body.error.details;
  if (Array.isArray(details) && details.every((d) => d && typeof d === 'object' && 'path' in d)) {
    return details.map((d: { path: string; message: string }) => `${d.path || '(body)'}: ${d.message}`).join('; ');
  }
  return body.error.message;
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const mapped = toResponse(err);
    if (!mapped) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in a /v2 job request');
      return sendProblem(res, problem(500, 'Internal server error', req.originalUrl));
    }
    if (mapped.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    sendProblem(res, problem(mapped.status, detailOf(mapped.body), req.originalUrl.split('?')[0]));
  };
}
