/**
 * The soak's worker process: workers of every soak job type, on another
 * process than the engines, reaching them over REST (httpJobClient), one set
 * of workers per engine. The soak kills it with SIGKILL and starts it again.
 *
 *   ENGINE_URLS   comma-separated engine base URLs
 *   REDIS_URL, WEFT_QUEUE_PREFIX, WEFT_TOKEN
 *
 * Prints "ready" when its workers are up and one line per server error any
 * REST call met: "server-error <status> <method> <path> <body>" (a 503 with
 * Retry-After is the engine saying "a backing service is down, come back":
 * that one is not an error).
 */
import { openRedis } from '../../engine/queue/redis.js';
import { BpmnError } from '../../engine/worker/bpmn-error.js';
import { createWorker, type JobHandler } from '../../engine/worker/create-worker.js';
import { httpJobClient } from '../../engine/worker/http-job-client.js';
import { isServerError } from './server-errors.js';

const env = process.env;
const urls = (env.ENGINE_URLS ?? '').split(',').filter(Boolean);
const token = env.WEFT_TOKEN ?? 'child-admin-token';

const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const res = await realFetch(input, init);
  if (isServerError(res.status, res.headers)) {
    const body = await res.clone().text().catch(() => '');
    console.log(`server-error ${res.status} ${init?.method ?? 'GET'} ${new URL(String(input)).pathname} ${body.slice(0, 300)}`);
  }
  return res;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n = (job: { variables: Record<string, unknown> }) => Number(job.variables.n ?? 0);

const handlers: Record<string, JobHandler> = {
  'soak-a': async () => (await pause(5 + Math.random() * 20), { a: true }),
  'soak-b': async (job) => {
    await pause(5 + Math.random() * 20);
    // Every fourth instance takes the error boundary; every fifth fails once (a technical retry).
    if (n(job) % 4 === 0) throw new BpmnError('SOAK_ERR', 'modelled failure');
    if (n(job) % 5 === 0 && job.retries === 3) throw new Error('flaky downstream');
    return { b: true };
  },
  'soak-c': async () => ({ c: true }),
  'soak-d': async () => (await pause(5), { d: true }),
};

const connection = openRedis(env.REDIS_URL!);
connection.on('error', () => undefined);
for (const url of urls) {
  const client = httpJobClient(url, token);
  for (const [type, handler] of Object.entries(handlers)) {
    createWorker(type, handler, {
      client,
      connection,
      prefix: env.WEFT_QUEUE_PREFIX!,
      concurrency: 5,
      timeoutMs: 5000,
      lockDurationMs: 5000,
      retryBackoffMs: 200,
      workerId: `soak-worker:${process.pid}:${new URL(url).port}`,
      onError: (error) => {
        if (env.SOAK_VERBOSE) console.error(`worker ${type}: ${String(error)}`);
      },
    });
  }
}
console.log('ready');
