/**
 * The modeler page (/modeler) for browser tests: built from its sources as
 * they are now into a directory of the test's own (dist/pages is shared with
 * other test files and other people's pages, which may be building it
 * meanwhile), and opened in a fresh browser profile that records page
 * errors and requests leaving the Weft server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { build } from 'vite';
import { forbidExternalRequests } from './browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What the page exposes on `window` (modeler/src/modeler/main.ts), as far as the tests use it. */
declare global {
  interface Window {
    weftModeler: { get<T = any>(name: string): T; saveXML(options?: object): Promise<{ xml?: string }>; importXML(xml: string): Promise<unknown> };
    weft: { ready: Promise<unknown> };
  }
}

/** Builds the modeler page into a new temporary directory; returns it (remove it when done). */
export async function buildModelerPage(prefix: string): Promise<string> {
  const pagesDir = mkdtempSync(join(tmpdir(), prefix));
  await build({
    configFile: false,
    root: join(ROOT, 'modeler'),
    base: '/',
    logLevel: 'warn',
    build: { outDir: pagesDir, emptyOutDir: true, chunkSizeWarningLimit: 4000, rollupOptions: { input: { modeler: join(ROOT, 'modeler/modeler.html') } } },
  });
  return pagesDir;
}

export interface OpenedModeler {
  context: BrowserContext;
  page: Page;
  /** Requests that left the Weft server. */
  external: string[];
  /** Uncaught errors and console errors (API refusals the page handles aside). */
  pageErrors: string[];
}

/** A fresh browser profile (with `token` for the tab, unless null) on a loaded modeler at `url`. */
export async function openModelerPage(browser: Browser, url: string, token: string | null, timeoutMs = 10_000): Promise<OpenedModeler> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(timeoutMs);
  const page = await context.newPage();
  const external = forbidExternalRequests(page, url);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // API refusals (422 deploy, 401 credentials, 404 look-ups) are answers the page handles, though Chromium logs them as errors.
  const apiAnswer = (m: ConsoleMessage) => /^Failed to load resource/.test(m.text()) && new URL(m.location().url).pathname.startsWith('/api/');
  page.on('console', (m) => m.type() === 'error' && !apiAnswer(m) && pageErrors.push(`${m.text()} ${m.location().url}`));
  if (token !== null) {
    await context.addInitScript((t) => sessionStorage.getItem('weft.apiToken') || sessionStorage.setItem('weft.apiToken', t), token);
  }
  await page.goto(`${url}/modeler`);
  await page.evaluate(() => window.weft.ready);
  return { context, page, external, pageErrors };
}
