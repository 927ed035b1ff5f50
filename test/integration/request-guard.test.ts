/**
 * Regression tests for the request guard (engine/api/request-guard.ts): bad
 * input in any part of a request is a 400 naming the part, never a 500. Each
 * request here answered 500 before: a malformed escape or NUL in a path
 * parameter, a lone surrogate in JSON that reached jsonb, NUL in the sign-in
 * name, a malformed session cookie, NUL in an uploaded file's name.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/integration/${name}`, import.meta.url), 'utf8');

interface Answer {
  status: number;
  body: any;
}

describe('the request guard', () => {
  let t: TestWeft;
  let job: { key: string };

  async function send(path: string, init: RequestInit & { auth?: boolean } = {}): Promise<Answer> {
    const { auth = true, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (auth) headers.set('authorization', `Bearer ${t.config.adminToken}`);
    const res = await fetch(t.weft.url + path, { ...rest, headers });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  /** JSON as text: JSON.stringify cannot write a lone surrogate escape the way a client may. */
  const postJson = (path: string, json: string, auth = true) => send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json, auth });

  const expectRefused = (res: Answer, part: string, path: string, message: RegExp) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.details).toEqual([{ in: part, path, message: expect.any(String) }]);
  };

  beforeAll(async () => {
    t = await startTestWeft();
    await t.api.deploy([{ name: 'two-jobs.bpmn', xml: fixture('two-jobs.bpmn') }]);
    await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType: 'guarded' } });
    job = await eventually(async () => (await t.api.post('/api/jobs/activate', { type: 'guarded', workerId: 'w', maxJobs: 1 })).body.jobs[0]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('path parameters', () => {
    it.each([
      '/api/process-instances/%E0%A4%A',
      '/api/process-definitions/%E0%A4%A/xml',
      '/api/users/%E0%A4%A',
      '/api/agents/%E0%A4%A/disable',
      '/api/forms/%ED%A0%80', // the UTF-8 of a lone surrogate is not valid UTF-8
    ])('refuses a malformed percent escape: %s', async (path) => {
      const method = path.endsWith('/disable') ? 'POST' : 'GET';
      const segment = path.split('/')[3];
      expectRefused(await send(path, { method }), 'path', segment, new RegExp(`path segment '${segment}' is not valid percent-encoding`));
    });

    it.each(['/api/users/a%00b', '/api/forms/a%00b', '/api/agents/a%00b/disable', '/api/process-definitions/a%00b/xml', '/api/tasks/a%00b'])('refuses NUL: %s', async (path) => {
      const method = path.endsWith('/disable') ? 'POST' : 'GET';
      expectRefused(await send(path, { method }), 'path', 'a\\u0000b', /path segment 'a\\u0000b' must not contain the NUL character/);
    });
  });

  describe('query strings', () => {
    it('refuses a malformed escape, naming the parameter (it was silently read as U+FFFD)', async () => {
      expectRefused(await send('/api/process-instances?processId=%E0%A4%A'), 'query', 'processId', /query parameter 'processId' is not valid percent-encoding/);
      expectRefused(await send('/api/tasks?%E0=1'), 'query', '%E0', /query parameter '%E0' has a name that is not valid percent-encoding/);
    });
  });

  describe('lone surrogates in JSON bodies (jsonb refuses them)', () => {
    it('refuses them in values and names of variables, and in other fields', async () => {
      expectRefused(await postJson('/api/process-instances', '{"processId":"two-jobs","variables":{"note":"a\\ud800"}}'), 'body', 'variables.note', /body field 'variables.note' must not contain a lone UTF-16 surrogate/);
      expectRefused(await postJson('/api/process-instances', '{"processId":"two-jobs","variables":{"a\\udc00":1}}'), 'body', 'variables.a\\udc00', /names must not contain a lone UTF-16 surrogate/);
      expectRefused(await postJson('/api/process-instances', '{"processId":"two-jobs","businessKey":"\\udfff"}'), 'body', 'businessKey', /lone UTF-16 surrogate/);
      expectRefused(await postJson(`/api/jobs/${job.key}/complete`, '{"variables":{"s":["ok","\\ud83d"]}}'), 'body', 'variables.s.1', /lone UTF-16 surrogate/);
    });

    it('accepts a surrogate pair (an emoji written as escapes)', async () => {
      const res = await postJson('/api/process-instances', '{"processId":"two-jobs","variables":{"jobType":"pair","note":"\\ud83d\\ude00"}}');
      expect(res.status).toBe(201);
      const detail = await send(`/api/process-instances/${res.body.id}`);
      expect(detail.body.variables.note).toBe('😀');
    });
  });

  describe('sign-in (outside /api, the same guard)', () => {
    it('refuses NUL and lone surrogates in the user name, as JSON and as a form', async () => {
      expectRefused(await postJson('/auth/sign-in', '{"username":"a\\u0000","password":"whatever-long"}', false), 'body', 'username', /NUL/);
      expectRefused(await postJson('/auth/sign-in', '{"username":"\\ud800","password":"whatever-long"}', false), 'body', 'username', /lone UTF-16 surrogate/);
      const form = await send('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a%00&password=whatever-long', auth: false });
      expectRefused(form, 'body', 'username', /NUL/);
    });

    it('treats a session cookie that does not decode as no session (401), for /api and sign-out', async () => {
      const me = await send('/api/me', { headers: { cookie: 'weft_session=%E0%A4%A' }, auth: false });
      expect(me.status).toBe(401);
      const signOut = await send('/auth/sign-out', { method: 'POST', headers: { cookie: 'weft_session=%E0%A4%A' }, auth: false });
      expect(signOut.status).toBe(200);
    });
  });

  describe('uploads', () => {
    it('refuses NUL in an uploaded file name (RFC 5987 filename*)', async () => {
      // given a multipart body written by hand: FormData cannot send filename*
      const boundary = 'weft-boundary';
      const body = [`--${boundary}`, `Content-Disposition: form-data; name="files"; filename*=utf-8''a%00b.bpmn`, 'Content-Type: application/xml', '', fixture('two-jobs.bpmn'), `--${boundary}--`, ''].join('\r\n');
      // when
      const res = await send('/api/deployments', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
      // then
      expectRefused(res, 'body', 'files.0.filename', /body field 'files.0.filename' must not contain the NUL character/);
    });
  });

  it('leaves the server healthy', async () => {
    expect((await fetch(`${t.weft.url}/health`)).status).toBe(200);
  });
});
