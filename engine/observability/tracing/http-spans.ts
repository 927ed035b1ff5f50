/**
 * One server span per HTTP request when tracing is on, continuing the
 * caller's trace when it sends a W3C `traceparent` header (a worker's
 * completion request, httpJobClient). Named by method and the route that
 * matched (`POST /api/jobs/:key/complete`), so ids stay out of span names;
 * attributes are the method, the route, the path and the status — never a
 * header, the query or the body.
 */
import type { RequestHandler } from 'express';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { TRACER_NAME, contextOf, tracingOn } from './tracing.js';

export function httpSpans(): RequestHandler {
  return (req, res, next) => {
    if (!tracingOn()) return next();
    const span = trace.getTracer(TRACER_NAME).startSpan(
      `${req.method} ${req.path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      contextOf(req.get('traceparent')),
    );
    res.on('close', () => {
      const route = req.route?.path as string | undefined;
      const name = route ? `${req.method} ${req.baseUrl}${route}` : req.method;
      span.updateName(name);
      if (route) span.setAttribute('http.route', `${req.baseUrl}${route}`);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(context.active(), span), next);
  };
}
