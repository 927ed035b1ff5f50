/**
 * Headless Chromium for page tests: Debian's /usr/bin/chromium driven by
 * playwright-core (never a downloaded browser), with the flags that keep it
 * off the network (playwright gives each launch a fresh profile). Screenshots
 * go to test/artifacts/. Every context it opens fails its test on a
 * Content-Security-Policy violation or a credential in localStorage
 * (browser-guards.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { guardBrowser } from './browser-guards.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return guardBrowser(browser);
}

/** Saves a full-page screenshot as test/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Fails the test on any request that leaves the Weft server (the pages load their own assets only). */
export function forbidExternalRequests(page: Page, origin: string): string[] {
  const external: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  return external;
}

/**
 * A page signed in with an API token for its tab (the pages read
 * `weft.apiToken` from sessionStorage before asking for one), at a
 * viewport, with a default timeout for its waits.
 */
export async function tokenPage(browser: Browser, token: string, options: { viewport: { width: number; height: number }; timeoutMs?: number }): Promise<Page> {
  const page = await browser.newPage({ viewport: options.viewport });
  page.setDefaultTimeout(options.timeoutMs ?? 10_000);
  await page.addInitScript((t) => sessionStorage.setItem('weft.apiToken', t), token);
  return page;
}
