/**
 * The one place that turns anything thrown in a route into
 * `{"error": {code, message, details?}}` with the right status. Only the
 * unexpected (bugs) are logged, and their message never reaches the client.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import multer from 'multer';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { WeftError, type ErrorCode } from '../errors.js';
import { scrubStrings } from '../security/redaction.js';
import { unavailableService } from '../connection-error.js';

/** Seconds a client is asked to wait when Postgres or Redis is down (they come back in seconds, or the operator is on it). */
export const RETRY_AFTER_SECONDS = 2;

interface ErrorBody {
  error: { code: ErrorCode | 'INTERNAL'; message: string; details?: unknown };
}

/** body-parser marks its errors with `type`; see body-parser's README "Errors". */
interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

const MULTER_TOO_LARGE = new Set(['LIMIT_FILE_SIZE', 'LIMIT_FILE_COUNT', 'LIMIT_PART_COUNT', 'LIMIT_FIELD_SIZE', 'LIMIT_FIELD_COUNT']);

export function toResponse(err: unknown): { status: number; body: ErrorBody } | null {
  if (err instanceof WeftError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details !== undefined) body.error.details = err.details;
    return { status: err.status, body };
  }
  if (err instanceof ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'Invalid request', details } } };
  }
  if (err instanceof multer.MulterError) {
    if (MULTER_TOO_LARGE.has(err.code)) {
      const message = err.code === 'LIMIT_FILE_SIZE' ? 'File too large (limit 5 MB)' : `Upload too large: ${err.message}`;
      return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message } } };
    }
    const field = err.field ? ` (field '${err.field}')` : '';
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message: `${err.message}${field}; send files in field 'files'` } } };
  }
  const e = (err ?? {}) as HttpishError;
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, body: { error: { code: 'BAD_REQUEST', message: 'Malformed JSON body' } } };
    case 'entity.too.large':
      return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body too large' } } };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: e.message ?? 'Unsupported encoding' } } };
  }
  // Other client errors raised by Express's own middleware (e.g. aborted requests).
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose) {
    return { status, body: { error: { code: 'BAD_REQUEST', message: e.message ?? 'Bad request' } } };
  }
  // Postgres or Redis down, restarting or unreachable: the same request will succeed once it is back.
  const service = unavailableService(err);
  if (service) return { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: `${service} is unavailable; try again shortly` } } };
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const mapped = toResponse(err);
    if (mapped) {
      if (mapped.status === 503) {
        res.set('Retry-After', String(RETRY_AFTER_SECONDS));
        logger.warn({ err, method: req.method, url: req.originalUrl }, 'backing service unavailable');
      }
      // A message may quote what the caller or a peer sent (a header, a URL with its password): scrubbed like every other sink.
      res.status(mapped.status).json(scrubStrings(mapped.body));
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in request');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal server error' } });
  };
}

export const notFound: RequestHandler = (req) => {
  throw new WeftError('NOT_FOUND', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`);
};
