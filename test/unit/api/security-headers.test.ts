import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { securityHeaders, sendStoredFile } from '../../../engine/api/security-headers.js';

describe('securityHeaders', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  async function serve(trustProxy: boolean): Promise<string> {
    const app = express();
    app.use(securityHeaders({ trustProxy }));
    app.get('/page', (_req, res) => res.type('html').send('<p>hi</p>'));
    app.get('/stored', (_req, res) => sendStoredFile(res, 'a "quoted"/../name.bpmn', 'application/xml', '<x/>'));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('sends HSTS and upgrade-insecure-requests only when a trusted proxy says the browser came over TLS', async () => {
    // given
    const trusting = await serve(true);
    // when
    const overTls = await fetch(`${trusting}/page`, { headers: { 'x-forwarded-proto': 'https' } });
    const plain = await fetch(`${trusting}/page`);
    // then
    expect(overTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(overTls.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });

  it('ignores X-Forwarded-Proto from a proxy it was not told to trust', async () => {
    const base = await serve(false);
    const res = await fetch(`${base}/page`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });

  it('lets pages run their own scripts only: no inline script, no eval, no framing', async () => {
    const base = await serve(false);
    const csp = (await fetch(`${base}/page`)).headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'script-src-attr': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
  });

  it('sends a stored file as an attachment with a safe name, under a policy that runs nothing', async () => {
    const base = await serve(false);
    const res = await fetch(`${base}/stored`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="a__quoted__.._name.bpmn"');
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
