/**
 * A route's one edge: the query and body schemas it declares (api-routes.ts)
 * parse the request after the access check and before the handler, and the
 * handler reads the parsed values with `queryOf` / `bodyOf`. Both name the
 * schema they expect, so a handler cannot read input checked by a schema
 * other than the one the route declares — and documents.
 */
import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { RouteRequest } from './api-routes.js';

interface ParsedInput {
  query?: { schema: z.ZodType; value: unknown };
  body?: { schema: z.ZodType; value: unknown };
}

/** Parses what the route declares; a ZodError becomes the usual 400 naming each field (errors.ts). */
export function validateInput(request: RouteRequest): RequestHandler {
  return (req, res, next) => {
    const input: ParsedInput = {};
    if (request.query) input.query = { schema: request.query, value: request.query.parse(req.query) };
    // A body that is absent (no Content-Type) parses like `{}`.
    if (request.body) input.body = { schema: request.body, value: request.body.parse(req.body ?? {}) };
    res.locals.input = input;
    next();
  };
}

function parsed<T extends z.ZodType>(res: Response, part: keyof ParsedInput, schema: T): z.output<T> {
  const found = (res.locals.input as ParsedInput | undefined)?.[part];
  // A bug, not a user's mistake: the handler expects input its route does not declare.
  if (!found || found.schema !== schema) throw new Error(`The route reads its ${part} with a schema it does not declare`);
  return found.value as z.output<T>;
}

/** The body as the route's declared schema parsed it. */
export const bodyOf = <T extends z.ZodType>(res: Response, schema: T): z.output<T> => parsed(res, 'body', schema);

/** The query as the route's declared schema parsed it. */
export const queryOf = <T extends z.ZodType>(res: Response, schema: T): z.output<T> => parsed(res, 'query', schema);
