import { describe, expect, it } from 'vitest';
import { parseBody, queryParams, withoutCredentials } from '../../../engine/features/webhooks/webhook-request.js';

describe('what a webhook request looks like to FEEL', () => {
  it('parses JSON, forms and text; an empty body is {}', () => {
    expect(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('a=1&b=two+words'), 'application/x-www-form-urlencoded')).toEqual({ a: '1', b: 'two words' });
    expect(parseBody(Buffer.from('hello'), 'text/plain')).toBe('hello');
    expect(parseBody(Buffer.from('[1,2]'), undefined)).toEqual([1, 2]);
    expect(parseBody(Buffer.alloc(0), 'application/json')).toEqual({});
  });

  it('refuses malformed JSON sent as JSON with a 400', () => {
    expect(() => parseBody(Buffer.from('{'), 'application/json')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', status: 400 }));
  });

  it('reads the query string, the first value of a repeated name winning', () => {
    expect(queryParams('/webhooks/x?a=1&b=%20two&a=3')).toEqual({ a: '1', b: ' two' });
    expect(queryParams('/webhooks/x')).toEqual({});
  });

  it('leaves credential headers out of what the process gets', () => {
    const request = { body: {}, params: {}, headers: { authorization: 'Basic dTpw', cookie: 'c=1', 'x-signature': 'abc' } };
    expect(withoutCredentials(request).headers).toEqual({ 'x-signature': 'abc' });
  });
});
