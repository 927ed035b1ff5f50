/**
 * OpenTelemetry tracing, off unless configured (tracing-settings.ts).
 *
 * Off, the SDK is never imported and every helper here returns at its first
 * line (`on` is false): the hot path pays one boolean test. On, one tracer
 * provider serves the process (the API's globals are process-wide), with
 * async-hooks context, the W3C trace-context propagator and the OTLP/HTTP
 * exporter behind a batching processor.
 *
 * What a span may carry: names and ids (process id, instance id, job key,
 * job type, HTTP method, route and status) — never variables, headers,
 * bodies or error messages, which may hold a person's data or a secret.
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { TracingSettings } from './tracing-settings.js';

export const TRACER_NAME = 'weft';

let on = false;
let users = 0;
let provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> } | null = null;
let starting: Promise<void> | null = null;

/** Whether spans are being made (for callers that would otherwise do work only a span needs). */
export function tracingOn(): boolean {
  return on;
}

/** Starts tracing for this process (once; later calls share it). Returns how to stop this caller's use of it. */
export async function startTracing(settings: TracingSettings): Promise<() => Promise<void>> {
  users++;
  starting ??= (async () => {
    const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { resourceFromAttributes }] = await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/resources'),
    ]);
    const sdk = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.url }), scheduledDelayMillis: 1000 })],
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(sdk);
    provider = sdk;
    on = true;
  })();
  await starting;
  return async () => {
    if (--users > 0) return flushTracing();
    on = false;
    starting = null;
    const stopping = provider;
    provider = null;
    await stopping?.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  };
}

/** Sends the spans ended so far (tests; a shutdown does it too). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/**
 * Runs `work` in a span named `name` (a child of the active one, or of
 * `parent`); the span ends when the work settles and records a failure's
 * kind (its code or class name), never its message.
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>, options: { kind?: SpanKind; parent?: Context } = {}): Promise<T> {
  if (!on) return work();
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, options.parent ?? context.active(), async (span) => {
    try {
      return await work();
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failed(span: Span, error: unknown): void {
  const kind = (error as { code?: unknown })?.code;
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', typeof kind === 'string' ? kind : error instanceof Error ? error.name : 'unknown');
}

/** The active context (or `ctx`) as a W3C traceparent; undefined when tracing is off or no span is active. */
export function traceparentOf(ctx?: Context): string | undefined {
  if (!on) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx ?? context.active(), carrier);
  return carrier.traceparent;
}

/** The context a W3C traceparent names (a queue message's, a request's header); the active one when there is none. */
export function contextOf(traceparent: unknown): Context {
  if (!on || typeof traceparent !== 'string') return context.active();
  return propagation.extract(context.active(), { traceparent });
}

/** The active context, to carry across a batch (MicroBatcher); undefined when tracing is off. */
export function activeContext(): Context | undefined {
  return on ? context.active() : undefined;
}

/** Runs `work` in `ctx` (a batch item's submitter's context); just runs it when tracing is off. */
export function withContext<T>(ctx: Context | undefined, work: () => T): T {
  return on && ctx ? context.with(ctx, work) : work();
}

/** A span begun now and ended by the caller, for work whose end is not one promise's (a timer pass: its firings, then their commit). */
export interface OpenSpan {
  /** The context in which the span is active; undefined when tracing is off. */
  readonly context: Context | undefined;
  end(error?: unknown): void;
}

const NO_SPAN: OpenSpan = { context: undefined, end: () => undefined };

export function openSpan(name: string, attributes: Attributes, options: { kind?: SpanKind } = {}): OpenSpan {
  if (!on) return NO_SPAN;
  const parent = context.active();
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, parent);
  return {
    context: trace.setSpan(parent, span),
    end: (error?: unknown) => {
      if (error !== undefined) failed(span, error);
      span.end();
    },
  };
}

/**
 * Stamps each queue message's payload with the trace context it is made in
 * (the active one, or `ctx`), so the worker's span continues it. Stamped
 * before the outbox rows are written, so a message the outbox sweep sends
 * again (after a crash or while Redis was away) continues the same trace.
 */
export function stampTraceparent(rows: { payload: { traceparent?: string } }[], ctx?: Context): void {
  if (!on || rows.length === 0) return;
  const traceparent = traceparentOf(ctx);
  if (traceparent) for (const row of rows) row.payload.traceparent = traceparent;
}

export { SpanKind };
