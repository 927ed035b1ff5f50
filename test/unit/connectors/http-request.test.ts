/** The request the HTTP connector's inputs describe, and how its responses and failures are read. */
import { describe, expect, it } from 'vitest';
import { httpInputs } from '../../../connectors/http/http-inputs.js';
import { buildRequest } from '../../../connectors/http/http-request.js';
import { parseBody } from '../../../connectors/http/http-transport.js';
import { retryAfterMs, statusError } from '../../../connectors/http/http-errors.js';

const input = (raw: Record<string, unknown>) => httpInputs.parse(raw);

describe('building the HTTP request', () => {
  it('reads inputs as Camunda’s REST connector template writes them (literals are text)', () => {
    const parsed = input({ method: 'post', url: 'https://api.example/v1', connectionTimeoutInSeconds: '5', readTimeoutInSeconds: '0', ignoreNullValues: 'true', authentication: { type: 'noAuth' } });
    expect(parsed).toMatchObject({ method: 'POST', connectionTimeoutInSeconds: 5, readTimeoutInSeconds: 0, ignoreNullValues: true });
    expect(input({ url: 'http://x.example' })).toMatchObject({ method: 'GET', authentication: { type: 'noAuth' }, connectionTimeoutInSeconds: 20 });
  });

  it('names the field and the reason when an input is wrong', () => {
    const issues = httpInputs.safeParse({ method: 'FETCH', url: 'ftp://x', authentication: { type: 'bearer' } }).error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^method: must be one of GET, POST/), 'url: must be an http:// or https:// URL', 'authentication.token: must be the bearer token']));
  });

  it('names a header the request could not carry, an OAuth endpoint that is no http(s) URL and a timeout past a day', () => {
    const issues = httpInputs
      .safeParse({
        url: 'https://api.example',
        headers: { 'X Bad': 'a', 'X-Split': 'a\r\nInjected: b' },
        readTimeoutInSeconds: '3000000',
        authentication: { type: 'oauth-client-credentials-flow', oauthTokenEndpoint: 'ftp://auth.example/token', clientId: 'c', clientSecret: 's' },
      })
      .error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'headers.X Bad: is not an HTTP header name',
        'headers.X-Split: must not hold a line break or NUL',
        'readTimeoutInSeconds: must be at most 86400 (a day)',
        'authentication.oauthTokenEndpoint: must be the token endpoint, an http:// or https:// URL',
      ]),
    );
  });

  it('adds query parameters (repeated for a list) and sends a context body as JSON by default', () => {
    const request = buildRequest(input({ method: 'POST', url: 'https://api.example/orders?x=1', queryParameters: { tag: ['a', 'b'], page: 2, skip: null }, body: { id: 7 } }));
    expect(request.url.toString()).toBe('https://api.example/orders?x=1&tag=a&tag=b&page=2');
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(request.body).toBe('{"id":7}');
  });

  it('encodes a form body when the content type says so, and sends text as written', () => {
    const form = buildRequest(input({ method: 'POST', url: 'https://a.example', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: { q: 'a b', n: 1 } }));
    expect(form.body).toBe('q=a+b&n=1');
    const text = buildRequest(input({ method: 'PUT', url: 'https://a.example', headers: { 'Content-Type': 'text/plain' }, body: 'hello' }));
    expect(text.body).toBe('hello');
    expect(text.headers).toEqual({ 'Content-Type': 'text/plain' });
  });

  it('sends no body with GET, and drops nulls when ignoreNullValues is set', () => {
    expect(buildRequest(input({ url: 'https://a.example', body: { a: 1 } })).body).toBeUndefined();
    expect(buildRequest(input({ method: 'PATCH', url: 'https://a.example', ignoreNullValues: true, body: { a: null, b: { c: null, d: 1 } } })).body).toBe('{"b":{"d":1}}');
  });

  it('puts auth parts where they go: an API key in the query or a header', () => {
    expect(buildRequest(input({ url: 'https://a.example/x' }), { query: { api_key: 'k' } }).url.search).toBe('?api_key=k');
    expect(buildRequest(input({ url: 'https://a.example/x', headers: { A: 1 } }), { headers: { 'X-Key': 'k' } }).headers).toEqual({ A: '1', 'X-Key': 'k' });
  });
});

describe('reading the response', () => {
  it('parses JSON when the response says JSON, else keeps the text; empty is null', () => {
    expect(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('{"a":1}'), 'application/problem+json')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('{"a":1}'), 'text/plain')).toBe('{"a":1}');
    expect(parseBody(Buffer.from('not json'), 'application/json')).toBe('not json');
    expect(parseBody(Buffer.alloc(0), 'application/json')).toBeNull();
  });

  it('retries 429 and 5xx, honouring Retry-After in seconds or as a date; other 4xx are not retried and carry the status as code', () => {
    const response = (status: number, headers: Record<string, string> = {}) => ({ status, statusText: '', headers, body: { e: 1 } });
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(statusError(response(503), 'GET x', now)).toMatchObject({ code: '503', retryable: true, retryAfterMs: undefined });
    expect(statusError(response(429, { 'retry-after': '7' }), 'GET x', now)).toMatchObject({ code: '429', retryable: true, retryAfterMs: 7000 });
    expect(statusError(response(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), 'GET x', now).retryAfterMs).toBe(30_000);
    expect(statusError(response(404), 'GET x', now)).toMatchObject({ code: '404', retryable: false, variables: { response: { status: 404, body: { e: 1 } } } });
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
