/**
 * The request the inputs describe, built without I/O: the URL with its
 * query parameters, the headers (names as written), and the body encoded
 * by its content type — JSON by default, `application/x-www-form-urlencoded`
 * from a context, text as it is.
 */
import { ConnectorError } from '../sdk/connector-error.js';
import type { HttpInputs } from './http-inputs.js';

export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Camunda's REST connector sends a body with these methods only. */
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildRequest(input: HttpInputs, extra: { headers?: Record<string, string>; query?: Record<string, string> } = {}): OutgoingRequest {
  let url: URL;
  try {
    url = new URL(input.url.trim());
  } catch {
    throw new ConnectorError('INVALID_INPUT', `input 'url': '${input.url}' is not a URL`, { configuration: true });
  }
  for (const [name, value] of Object.entries(input.queryParameters ?? {})) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
  }
  for (const [name, value] of Object.entries(extra.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name] = String(value);
  Object.assign(headers, extra.headers);
  const request: OutgoingRequest = { method: input.method, url, headers };
  const body = input.ignoreNullValues ? withoutNulls(input.body) : input.body;
  if (!WITH_BODY.has(input.method) || body === undefined || body === null || body === '') return request;
  const typeName = Object.keys(headers).find((h) => h.toLowerCase() === 'content-type');
  if (!typeName) headers['Content-Type'] = 'application/json';
  request.body = encodeBody(body, headers[typeName ?? 'Content-Type']);
  return request;
}

export function encodeBody(body: unknown, contentType: string): string {
  const type = contentType.toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    if (typeof body === 'string') return body;
    if (typeof body !== 'object' || Array.isArray(body)) throw new ConnectorError('INVALID_INPUT', "input 'body': a form-urlencoded body must be a context of fields", { configuration: true });
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (v !== null && v !== undefined) form.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    return form.toString();
  }
  // A string is sent as written (JSON text typed into the form, or plain text); anything else as JSON.
  if (typeof body === 'string') return body;
  return JSON.stringify(body);
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}
