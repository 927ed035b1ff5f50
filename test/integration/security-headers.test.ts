/**
 * Every response Weft sends carries its security headers (CSP, no framing,
 * nosniff, no Referer), and what people uploaded never comes back as an active
 * type of this origin: a diagram's XML is an inert download, forms and agent
 * definitions are JSON.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { xssProbeBpmn } from '../fixtures/xss-probe.js';

const fixture = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** The headers every response must carry, whatever it is. */
function expectSecurityHeaders(res: Response, what: string): void {
  const h = (name: string) => res.headers.get(name);
  const csp = h('content-security-policy') ?? '';
  expect(csp, `${what}: CSP`).toMatch(/default-src '(self|none)'/);
  expect(csp, `${what}: CSP`).toContain("frame-ancestors 'none'");
  expect(csp, `${what}: CSP`).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
  expect(
    { nosniff: h('x-content-type-options'), frame: h('x-frame-options'), referrer: h('referrer-policy'), coop: h('cross-origin-opener-policy'), corp: h('cross-origin-resource-policy') },
    what,
  ).toEqual({ nosniff: 'nosniff', frame: 'DENY', referrer: 'no-referrer', coop: 'same-origin', corp: 'same-origin' });
  // Plain http (the tests, an operator on http://localhost:3000): HSTS would point the browser at an https:// Weft that does not exist.
  expect(h('strict-transport-security'), `${what}: no HSTS over plain http`).toBeNull();
  expect(csp, `${what}: CSP`).not.toContain('upgrade-insecure-requests');
}

describe('security headers', () => {
  let t: TestWeft;
  let probeKey: string;
  const url = (path: string) => `${t.weft.url}${path}`;
  const admin = { authorization: 'Bearer test-admin-token' };

  beforeAll(async () => {
    t = await startTestWeft();
    const deployed = await t.api.deploy([
      { name: 'xss-probe.bpmn', xml: xssProbeBpmn('xss-probe', 'http://127.0.0.1:9') },
      { name: 'user-task-form.bpmn', xml: fixture('../fixtures/modeler/user-task-form.bpmn') },
      { name: 'approval.form', xml: fixture('../fixtures/modeler/approval.form').replace('"Approved"', '"<script>alert(1)</script>"') },
      { name: 'ticket-triage.agent.json', xml: fixture('../../processes/agents/ticket-triage.agent.json') },
    ]);
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    probeKey = deployed.body.processes.find((p: { processId: string }) => p.processId === 'xss-probe').key;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves a deployed diagram whose extensionElements hold an XHTML <script> as an inert download', async () => {
    // when
    const res = await fetch(url(`/api/process-definitions/${probeKey}/xml`), { headers: admin });

    // then: the bytes as uploaded, but as an attachment, never sniffed, under a policy that runs nothing
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(xssProbeBpmn('xss-probe', 'http://127.0.0.1:9'));
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${probeKey}.bpmn"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/(^|; )sandbox(;|$)/);
    expectSecurityHeaders(res, 'diagram XML');
  });

  it('answers JSON as application/json, stored forms, agent definitions and templates included', async () => {
    for (const path of ['/api/process-definitions', '/api/forms/modeler-approval', '/api/agents', '/api/element-templates', '/api/me']) {
      const res = await fetch(url(path), { headers: admin });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json; charset=utf-8$/);
      expectSecurityHeaders(res, path);
    }
    const form = await (await fetch(url('/api/forms/modeler-approval'), { headers: admin })).json();
    expect(JSON.stringify(form)).toContain('<script>alert(1)</script>'); // kept as written: inert as JSON
  });

  it('carries them on errors, pages, static assets, redirects and /health', async () => {
    const modeler = await fetch(url('/modeler'));
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await modeler.text())?.[1];
    expect(asset).toBeDefined();
    const signInForm = { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=nobody&password=wrong' } as const;
    const cases: [string, () => Promise<Response>, number, RegExp][] = [
      ['/health', () => fetch(url('/health')), 200, /^application\/json/],
      ['401 without a token', () => fetch(url('/api/process-definitions')), 401, /^application\/json/],
      ['401 with a wrong token', () => fetch(url('/api/process-definitions'), { headers: { authorization: 'Bearer wrong-token' } }), 401, /^application\/json/],
      ['404 under /api', () => fetch(url('/api/no-such-route'), { headers: admin }), 404, /^application\/json/],
      ['404 outside /api', () => fetch(url('/no-such-page')), 404, /^application\/json/],
      ['404 under /assets', () => fetch(url('/assets/no-such-file.js')), 404, /^application\/json/],
      ['400 malformed JSON', () => fetch(url('/api/process-instances'), { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: '{' }), 400, /^application\/json/],
      ['303 from the sign-in form', () => fetch(url('/auth/sign-in'), signInForm), 303, /./],
      ['/', () => fetch(url('/')), 200, /^text\/html/],
      ['/modeler', () => fetch(url('/modeler')), 200, /^text\/html/],
      ['/inbox', () => fetch(url('/inbox')), 200, /^text\/html/],
      ['/operations', () => fetch(url('/operations')), 200, /^text\/html/],
      ['/sign-in', () => fetch(url('/sign-in')), 200, /^text\/html/],
      ['a built script', () => fetch(url(asset!)), 200, /^text\/javascript/],
    ];
    for (const [what, send, status, type] of cases) {
      const res = await send();
      expect(res.status, what).toBe(status);
      expect(res.headers.get('content-type') ?? '(none)', what).toMatch(type);
      expectSecurityHeaders(res, what);
    }
  });
});
