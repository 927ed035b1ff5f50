/**
 * The worker SDK's client for workers on another host: it talks to the
 * engine through the REST job API, so such a worker needs Redis (for its
 * BullMQ queue) and an API token, but no database credentials.
 *
 *   createWorker('charge-card', handler, { client: httpJobClient('https://weft.example', token), connection, prefix })
 */
import { WeftError, ErrorCodes, type ErrorCode } from '../errors.js';
import type { ActivatedJob, CompletionResult } from '../service/types.js';
import type { Variables } from '../runtime/types.js';
import type { JobClient } from './create-worker.js';
import { traceparentOf } from '../observability/tracing/tracing.js';

export function httpJobClient(baseUrl: string, token: string): JobClient {
  const base = baseUrl.replace(/\/+$/, '');
  async function post<T>(path: string, body: unknown): Promise<T> {
    // The worker's span continues into the engine's request span (tracing on; nothing is sent when off).
    const traceparent = traceparentOf();
    const res = await fetch(`${base}/api/jobs/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
      body: JSON.stringify(body),
    });
    const payload = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown } } & T;
    if (!res.ok) {
      const code = (payload.error?.code && payload.error.code in ErrorCodes ? payload.error.code : res.status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_REQUEST') as ErrorCode;
      throw new WeftError(code, payload.error?.message ?? `Weft answered ${res.status}`, payload.error?.details);
    }
    return payload;
  }
  const key = (k: string) => encodeURIComponent(k);
  return {
    async activateJob(jobKey: string, workerId: string, timeoutMs: number): Promise<ActivatedJob | null> {
      return (await post<{ job: ActivatedJob | null }>(`${key(jobKey)}/activate`, { workerId, timeoutMs })).job;
    },
    completeJob: (jobKey: string, variables: Variables) => post<CompletionResult>(`${key(jobKey)}/complete`, { variables }),
    failJob: (jobKey, req) => post<CompletionResult>(`${key(jobKey)}/fail`, req),
    throwJobError: (jobKey, req) => post<CompletionResult>(`${key(jobKey)}/bpmn-error`, req),
  };
}
