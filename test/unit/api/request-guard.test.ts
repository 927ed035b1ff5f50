/**
 * The request guard on parts HTTP itself rarely lets through: Node's parser
 * refuses NUL in header values, so these call the guard with a request as a
 * more lenient front (or an in-process caller) could hand it over.
 */
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { guardParts, requestGuard } from '../../../engine/api/request-guard.js';
import { WeftError } from '../../../engine/errors.js';

function guard(req: Partial<Request>): unknown {
  try {
    requestGuard({ originalUrl: '/api/users', query: {}, headers: {}, ...req } as Request, {} as Response, () => undefined);
    return null;
  } catch (error) {
    return error;
  }
}

describe('request guard', () => {
  it('refuses NUL and lone surrogates in the headers handlers read, naming the header', () => {
    const error = guard({ headers: { 'x-resource-name': 'a\u0000.bpmn' } }) as WeftError;
    expect(error).toBeInstanceOf(WeftError);
    expect(error.status).toBe(400);
    expect(error.message).toBe("Invalid request: header 'x-resource-name' must not contain the NUL character (\\u0000)");
    expect((guard({ headers: { 'x-csrf-token': '\ud800' } }) as WeftError).details).toEqual([{ in: 'header', path: 'x-csrf-token', message: expect.stringMatching(/lone UTF-16 surrogate/) }]);
  });

  it('leaves headers no handler reads to their handlers', () => {
    expect(guard({ headers: { 'x-anything': 'a\u0000' } })).toBeNull();
  });

  it('checks the body only when it was parsed (raw uploads are the compiler\u2019s)', () => {
    expect(guard({ body: Buffer.from('a\u0000') })).toBeNull();
    expect((guard({ body: { a: ['\u0000'] } }) as WeftError).details).toEqual([{ in: 'body', path: 'a.0', message: expect.any(String) }]);
  });

  it('names parts parsed after it ran (multipart file names) the same way', () => {
    expect(() => guardParts('body', [{ path: 'files.0.filename', value: 'ok.bpmn' }])).not.toThrow();
    expect(() => guardParts('body', [{ path: 'files.1.filename', value: 'a\ud800' }])).toThrow("Invalid request: body field 'files.1.filename' must not contain a lone UTF-16 surrogate");
  });
});
