/**
 * One HTTP exchange over node:http(s), with the connector's guards: the
 * address check (a literal IP here, a name in guarded-lookup.ts), a connect
 * timeout and a read (idle) timeout, a response size limit, and an abort
 * signal. A fresh socket per request (no agent pool), so every request's
 * address is checked. Redirects are not followed: a 3xx is the result, and
 * a diagram that wants the next hop calls it (checked like any call).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { refusal, type AddressPolicy } from './address-policy.js';
import { guardedLookup } from './guarded-lookup.js';
import { addressRefused, networkError, timedOut, tooLarge } from './http-errors.js';
import { ConnectorError } from '../sdk/connector-error.js';
import type { OutgoingRequest } from './http-request.js';

export interface HttpResult {
  status: number;
  statusText: string;
  headers: Record<string, string | string[]>;
  /** Parsed JSON when the response says JSON, else the text; null when empty. */
  body: unknown;
}

export interface TransportOptions {
  policy: AddressPolicy;
  maxResponseBytes: number;
  /** 0: no bound. */
  connectTimeoutSeconds: number;
  readTimeoutSeconds: number;
  signal?: AbortSignal;
}

export function send(request: OutgoingRequest, options: TransportOptions): Promise<HttpResult> {
  const { url } = request;
  const target = `${request.method} ${url.origin}${url.pathname}`;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    const why = refusal(host, host, options.policy);
    if (why) return Promise.reject(addressRefused(why));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<HttpResult>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error instanceof ConnectorError ? error : toConnectorError(error, target));
      req.destroy();
    };
    const req = client.request(url, {
      method: request.method,
      headers: request.headers,
      agent: false,
      lookup: guardedLookup(options.policy),
      signal: options.signal,
    });
    req.on('error', fail);
    req.on('socket', (socket) => {
      if (options.connectTimeoutSeconds > 0) {
        const timer = setTimeout(() => fail(timedOut('connect', options.connectTimeoutSeconds, target)), options.connectTimeoutSeconds * 1000);
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      }
    });
    if (options.readTimeoutSeconds > 0) req.setTimeout(options.readTimeoutSeconds * 1000, () => fail(timedOut('read', options.readTimeoutSeconds, target)));
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) return fail(tooLarge(options.maxResponseBytes));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) return fail(tooLarge(options.maxResponseBytes));
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        const headers = Object.fromEntries(Object.entries(res.headers).filter((e): e is [string, string | string[]] => e[1] !== undefined));
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers, body: parseBody(Buffer.concat(chunks), res.headers['content-type']) });
      });
    });
    req.end(request.body);
  });
}

/** JSON when the content type says so (and it parses), else text; an empty body is null. */
export function parseBody(bytes: Buffer, contentType: string | undefined): unknown {
  if (bytes.length === 0) return null;
  const text = bytes.toString('utf8');
  if (contentType && /^application\/([\w.+-]+\+)?json\b|\/json\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function toConnectorError(error: unknown, target: string): ConnectorError {
  const e = error as Error & { code?: string; name?: string };
  if (e?.name === 'AbortError') return new ConnectorError('ABORTED', `${target} was abandoned: the attempt ran out of time or the worker is closing`, { retryable: true });
  return networkError(e instanceof Error ? e : new Error(String(error)), target);
}
