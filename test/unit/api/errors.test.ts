import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type Harness } from './harness.js';

describe('error responses', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers 400 "Malformed JSON body" for broken JSON', async () => {
    h = await startApp();
    const res = await h.api('/api/process-instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"processId": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'Malformed JSON body' } });
  });

  it('answers 413 for a JSON body over 1 MB', async () => {
    h = await startApp();
    const res = await h.api('/api/process-instances', { method: 'POST', json: { processId: 'p', variables: { big: 'x'.repeat(1024 * 1024) } } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 404 JSON for an unknown /api route', async () => {
    h = await startApp();
    const res = await h.api('/api/nothing/here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /api/nothing/here' } });
  });

  it('answers 404 JSON for an unknown route outside /api, without a token', async () => {
    h = await startApp();
    const res = await fetch(`${h.base}/nope`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers 500 with a generic message for an unexpected Error, and logs it', async () => {
    // given
    h = await startApp();
    h.engine.throwOn('listDefinitions', new Error('connection terminated: secret host db.internal'));
    // when
    const res = await h.api('/api/process-definitions');
    // then
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    expect(text).not.toContain('secret');
    expect(text).not.toContain('at ');
    expect(h.logs.join('')).toContain('connection terminated');
  });
});
