/**
 * Tracing across the edges: with an OTLP endpoint configured, one trace links
 * the start request, the engine's step, the job's dispatch through BullMQ
 * (the W3C traceparent in the message), the worker's handling, its completion
 * request and the next job. The spans go to a local OTLP/HTTP receiver, are
 * decoded as sent, and carry no variable value or credential.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { createWorker } from '../../../engine/worker/create-worker.js';
import { httpJobClient } from '../../../engine/worker/http-job-client.js';
import { flushTracing } from '../../../engine/observability/tracing/tracing.js';

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/integration/${path}`, import.meta.url), 'utf8');
const twoJobs = fixture('two-jobs.bpmn');

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  service: unknown;
}

/** What an OTLP/HTTP exporter posts to /v1/traces, kept raw (to search for leaks) and decoded. */
function otlpReceiver() {
  const bodies: string[] = [];
  const contentTypes: string[] = [];
  const spans: ReceivedSpan[] = [];
  const app = express();
  app.post('/v1/traces', express.raw({ type: () => true, limit: '20mb' }), (req, res) => {
    contentTypes.push(req.get('content-type') ?? '');
    const text = (req.body as Buffer).toString('utf8');
    bodies.push(text);
    const request = JSON.parse(text);
    for (const rs of request.resourceSpans ?? []) {
      const service = valueOf(rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          const attributes = Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, valueOf(a.value)]));
          spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, attributes, service });
        }
      }
    }
    res.status(200).json({});
  });
  return { app, bodies, contentTypes, spans };
}

/** The receiver listening on a loopback port, and a Weft whose traces go to it. */
async function startTracedWeft(receiver: ReturnType<typeof otlpReceiver>): Promise<{ t: TestWeft; server: Server }> {
  const server = receiver.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return { t: await startTestWeft({ tracing: { url, serviceName: 'weft-under-test' } }), server };
}

function valueOf(v: any): unknown {
  if (!v) return undefined;
  return v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue;
}

describe('tracing, API → step → BullMQ → worker → completion → next step', () => {
  let t: TestWeft;
  let server: Server;
  const receiver = otlpReceiver();
  const type = `traced-${randomUUID().slice(0, 8)}`;
  const secretValue = `4111-1111-${randomUUID()}`;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    ({ t, server } = await startTracedWeft(receiver));
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: twoJobs }])).status).toBe(201);
    // The first job's worker is a remote one (REST completion); the second runs in the engine's process.
    const remote = createWorker(type, () => ({ charged: true }), { client: httpJobClient(t.weft.url!, t.weft.adminToken), connection: t.weft.redis, prefix: t.config.queuePrefix });
    stops.push(() => remote.close());
    t.weft.worker(`${type}-ship`, () => ({ shipped: true }));
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await t?.stop();
    server?.close();
  });

  it('links the start request, both jobs and the completion request in one trace', async () => {
    // when an instance is started (no traceparent: the request begins the trace) and both workers do their jobs
    const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: type, cardNumber: secretValue } });
    expect(started.status).toBe(201);
    await eventually(async () => (await t.api.get(`/api/process-instances/${started.body.id}`)).body.state === 'COMPLETED' || undefined, 15_000);

    // then, once the spans are out
    await eventually(async () => {
      await flushTracing();
      return receiver.spans.some((s) => s.name === `weft.job ${type}-ship`) || undefined;
    }, 15_000);
    const named = (name: string) => receiver.spans.filter((s) => s.name === name);
    const [startRequest] = named('POST /api/process-instances');
    expect(startRequest).toBeDefined();
    expect(startRequest.parentSpanId).toBeUndefined();
    const trace = receiver.spans.filter((s) => s.traceId === startRequest.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const ancestors = (span: ReceivedSpan): string[] => (span.parentSpanId && byId.has(span.parentSpanId) ? [byId.get(span.parentSpanId)!.name, ...ancestors(byId.get(span.parentSpanId)!)] : []);

    // the step that created the first job, inside the start request
    const [step] = trace.filter((s) => s.name === 'weft.start_instance');
    expect(step.parentSpanId).toBe(startRequest.spanId);
    // the remote worker's handling continues it through the BullMQ message
    const [firstJob] = trace.filter((s) => s.name === `weft.job ${type}`);
    expect(firstJob, 'the first job is in the start request\'s trace').toBeDefined();
    expect(firstJob.parentSpanId).toBe(step.spanId);
    // its completion request is the worker's child (traceparent header), and the engine's command the request's
    const [completion] = trace.filter((s) => s.name === 'POST /api/jobs/:key/complete');
    expect(completion.parentSpanId).toBe(firstJob.spanId);
    expect(completion.attributes['http.response.status_code']).toBe(200);
    const [command] = trace.filter((s) => s.name === 'weft.job_command COMPLETE_JOB' && s.parentSpanId === completion.spanId);
    expect(command).toBeDefined();
    // and the next job, created by that completion's step, is handled in the same trace
    const [nextJob] = trace.filter((s) => s.name === `weft.job ${type}-ship`);
    expect(nextJob.parentSpanId).toBe(command.spanId);
    expect(ancestors(nextJob)).toEqual(['weft.job_command COMPLETE_JOB', 'POST /api/jobs/:key/complete', `weft.job ${type}`, 'weft.start_instance', 'POST /api/process-instances']);
    expect(nextJob.attributes['weft.job_type']).toBe(`${type}-ship`);
    expect(startRequest.service).toBe('weft-under-test');

    // nothing secret in what was sent: no variable value, no credential
    const sent = receiver.bodies.join('\n');
    expect(sent).not.toContain(secretValue);
    expect(sent).not.toContain('cardNumber');
    expect(sent).not.toContain(t.weft.adminToken);
  });
});

describe('tracing of completions carried by one transaction (group commit)', () => {
  let t: TestWeft;
  let server: Server;
  const receiver = otlpReceiver();
  const manual = `grouped-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    ({ t, server } = await startTracedWeft(receiver));
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: twoJobs }])).status).toBe(201);
    t.weft.worker(`${manual}-ship`, () => ({ shipped: true }));
  });
  afterAll(async () => {
    await t?.stop();
    server?.close();
  });

  it("each instance's next job continues its own completion's trace, not the batch's first", async () => {
    // given three instances whose first jobs no worker takes
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.weft.engine.startInstance({ processId: 'two-jobs', variables: { jobType: manual } }, 'test')).id);
    const jobs = await eventually(async () => {
      const rows = await t.weft.db('jobs').whereIn('process_instance_id', ids).where({ type: manual }).select('key', 'process_instance_id');
      return rows.length === 3 ? rows : undefined;
    }, 10_000);

    // when the three are completed in one tick, each from a trace of its own
    const tracer = trace.getTracer('test');
    await Promise.all(jobs.map((job, i) => tracer.startActiveSpan(`caller ${i}`, (span) => t.weft.engine.completeJob(job.key, {}, 'test').finally(() => span.end()))));

    // then one transaction carried them (a batch has one clock)
    const completed = await t.weft.db('audit').whereIn('process_instance_id', ids).where({ type: 'JOB_COMPLETED' }).select('at');
    expect(new Set(completed.map((r) => new Date(r.at).getTime())).size).toBe(1);
    // and each next job was handled in the trace of the completion that created it
    await eventually(async () => {
      await flushTracing();
      return receiver.spans.filter((s) => s.name === `weft.job ${manual}-ship`).length === 3 || undefined;
    }, 15_000);
    const callersOfNextJobs = receiver.spans
      .filter((s) => s.name === `weft.job ${manual}-ship`)
      .map((s) => ancestorsIn(receiver.spans, s).find((name) => name.startsWith('caller ')))
      .sort();
    expect(callersOfNextJobs).toEqual(['caller 0', 'caller 1', 'caller 2']);
  });
});

/** The names of a span's ancestors within its trace, nearest first. */
function ancestorsIn(spans: ReceivedSpan[], span: ReceivedSpan): string[] {
  const byId = new Map(spans.filter((s) => s.traceId === span.traceId).map((s) => [s.spanId, s]));
  const names: string[] = [];
  for (let at = span.parentSpanId && byId.get(span.parentSpanId); at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) names.push(at.name);
  return names;
}

describe("tracing of work no worker's request began", () => {
  let t: TestWeft;
  let server: Server;
  const receiver = otlpReceiver();
  const stops: (() => Promise<void>)[] = [];
  const handled = async (name: string) => {
    await eventually(async () => {
      await flushTracing();
      return receiver.spans.some((s) => s.name === name) || undefined;
    }, 15_000);
    return receiver.spans.filter((s) => s.name === name);
  };

  beforeAll(async () => {
    ({ t, server } = await startTracedWeft(receiver));
    const deployed = await t.api.deploy([
      { name: 'pause.bpmn', xml: fixture('timers/pause.bpmn') },
      { name: 'await-reply.bpmn', xml: fixture('messages/await-reply.bpmn') },
      { name: 'two-jobs.bpmn', xml: twoJobs },
    ]);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await t?.stop();
    server?.close();
  });

  it("a job after a timer is traced from the timer's firing, not as a trace of its own", async () => {
    // given an instance waiting at a short timer, and a worker for the job after it
    const type = `after-timer-${randomUUID().slice(0, 8)}`;
    t.weft.worker(type, () => ({}));
    const started = await t.api.post('/api/process-instances', { processId: 'it-pause', variables: { wait: 'PT0.3S', afterType: type } });
    expect(started.status).toBe(201);

    // when the timer fires and the worker handles the job, then its span is a child of the firing
    const [job] = await handled(`weft.job ${type}`);
    expect(ancestorsIn(receiver.spans, job)[0]).toBe('weft.fire_timers');
    const [firing] = receiver.spans.filter((s) => s.spanId === job.parentSpanId);
    expect(firing.parentSpanId, 'a firing begins its own trace: no request caused it').toBeUndefined();
    expect(Number(firing.attributes['weft.timer_count'])).toBeGreaterThanOrEqual(1);
  });

  it('a job after a message is traced from the request that published it', async () => {
    // given an instance waiting for a customer's reply
    const orderId = `order-${randomUUID().slice(0, 8)}`;
    t.weft.worker('file-reply', () => ({}));
    expect((await t.api.post('/api/process-instances', { processId: 'await-reply', variables: { orderId } })).status).toBe(201);

    // when the reply is published through the API
    expect((await t.api.post('/api/messages', { name: 'customer-reply', correlationKey: orderId })).status).toBeLessThan(300);

    // then the filing job continues the publish request's trace
    const [job] = await handled('weft.job file-reply');
    expect(ancestorsIn(receiver.spans, job)).toEqual(['weft.publish_message', 'POST /api/messages']);
  });

  it('a message the outbox sweep sends again (its first relay failed) continues the trace of the step that wrote it', async () => {
    // given a dispatcher whose first relay of this test's job fails, as when Redis is away at that moment
    const type = `resent-${randomUUID().slice(0, 8)}`;
    const dispatcher = t.weft.dispatcher;
    const dispatch = dispatcher.dispatch.bind(dispatcher);
    let failed = 0;
    dispatcher.dispatch = async (items, options) => {
      if (failed === 0 && options?.timeoutMs !== undefined && items.some((i) => i.queue.includes(type))) {
        failed++;
        throw new Error('Redis is away (simulated)');
      }
      return dispatch(items, options);
    };
    stops.push(async () => {
      dispatcher.dispatch = dispatch;
    });
    t.weft.worker(type, () => ({}));
    t.weft.worker(`${type}-ship`, () => ({}));

    // when an instance is started, its first job's message is left in the outbox and sent by the sweep
    const started = await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: type } });
    expect(started.status).toBe(201);
    await eventually(async () => (await t.api.get(`/api/process-instances/${started.body.id}`)).body.state === 'COMPLETED' || undefined, 15_000);
    expect(failed, 'the relay right after the commit failed').toBe(1);

    // then the job's handling is still in the start request's trace
    const [job] = await handled(`weft.job ${type}`);
    expect(ancestorsIn(receiver.spans, job)).toEqual(['weft.start_instance', 'POST /api/process-instances']);
  });
});
