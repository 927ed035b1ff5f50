/**
 * The security headers of every response (helmet): a Content-Security-Policy
 * under which only Weft's own scripts run (no inline script, no eval), no
 * framing, nosniff, no Referer, the origin isolated. HSTS and
 * upgrade-insecure-requests only on responses that went out over TLS (here,
 * or at a proxy trusted with WEFT_TRUST_PROXY): on plain http://localhost
 * they would send the browser to an https:// Weft that does not exist.
 *
 * Stored content (a deployed diagram's XML) leaves as an inert download
 * (`sendStoredFile`): it is what a person uploaded, and would run as a page
 * of this origin if a browser rendered it.
 */
import type { Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type Directives = NonNullable<Exclude<HelmetOptions['contentSecurityPolicy'], boolean | undefined>['directives']>;

/** What the pages need, found by running them all under this policy (test/browser, which fails on any violation). */
const PAGE_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  // bpmn-js, diagram-js and form-js set style attributes and inject <style> elements.
  'style-src': ["'self'", "'unsafe-inline'"],
  // bpmn-font and the panels embed their icon fonts and images as data: URLs.
  'font-src': ["'self'", 'data:'],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The queue board (/admin/queues, bull-board) puts a `<base href>` in its
 * page so its assets resolve under the board's path: `base-uri` allows this
 * origin there, and nothing else is wider than the pages' policy.
 */
const QUEUE_BOARD_DIRECTIVES: Directives = { ...PAGE_DIRECTIVES, 'base-uri': ["'self'"] };
const QUEUE_BOARD_PREFIX = '/admin/queues';

/** A stored file's own policy: nothing loads, nothing runs, even if a browser renders it. */
const STORED_FILE_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'";

export interface SecurityHeaderOptions {
  /** Count `X-Forwarded-Proto: https` as TLS (behind a TLS-terminating proxy). */
  trustProxy?: boolean;
}

export function securityHeaders(options: SecurityHeaderOptions = {}): RequestHandler {
  const common = {
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  } as const;
  const plain = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_DIRECTIVES },
    strictTransportSecurity: false,
  });
  const tls = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: { ...PAGE_DIRECTIVES, 'upgrade-insecure-requests': [] } },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
  const boardPlain = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: QUEUE_BOARD_DIRECTIVES }, strictTransportSecurity: false });
  const boardTls = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: { ...QUEUE_BOARD_DIRECTIVES, 'upgrade-insecure-requests': [] } },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
  return (req, res, next) => {
    const secure = overTls(req, options.trustProxy === true);
    const board = req.path === QUEUE_BOARD_PREFIX || req.path.startsWith(`${QUEUE_BOARD_PREFIX}/`);
    (board ? (secure ? boardTls : boardPlain) : secure ? tls : plain)(req, res, next);
  };
}

/** Whether the browser reached us over TLS: directly, or at a proxy we were told to trust. */
export function overTls(req: Request, trustProxy: boolean): boolean {
  if (req.secure) return true;
  const proto = req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return trustProxy && proto === 'https';
}

/**
 * Sends what a person uploaded as a download named `fileName` (letters,
 * digits, `.`, `-`, `_` only), under a policy that runs nothing: opening its
 * URL in a browser must not render it as a page of Weft's origin.
 */
export function sendStoredFile(res: Response, fileName: string, type: string, body: string): void {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  res.set('Content-Disposition', `attachment; filename="${safe}"`);
  res.set('Content-Security-Policy', STORED_FILE_POLICY);
  res.type(type).send(body);
}
