/**
 * Checks every browser test gets without asking (launchBrowser installs them
 * on each context): a Content-Security-Policy violation on any page, or a
 * credential left in localStorage (where any script of the origin, and the
 * disk, keep it after the tab is gone), fails the test that caused it.
 * Findings are reported after each test, and when the browser closes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';

/** What no page may keep in localStorage: keys that name a credential, and the test engines' admin token. */
const CREDENTIAL_KEY = /token|csrf|session|secret|password/i;
const CREDENTIAL_VALUE = /test-admin-token/;

const findings: string[] = [];

afterEach(() => {
  const found = findings.splice(0);
  expect(found, 'CSP violations or credentials in localStorage').toEqual([]);
});

/** Records CSP violations on every page of the context, now and later. */
async function watchContext(context: BrowserContext): Promise<BrowserContext> {
  await context.exposeBinding('__weftCspViolation', ({ page }, text: string) => {
    findings.push(`CSP violation on ${page?.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __weftCspViolation(text: string): void }).__weftCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    });
  });
  // What the DOM event does not see (e.g. a violation while the document loads) Chromium still logs.
  context.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) findings.push(`CSP console error on ${m.location().url}: ${m.text()}`);
  });
  const close = context.close.bind(context);
  context.close = async (options) => {
    await Promise.all(context.pages().map(inspectStorage));
    return close(options);
  };
  return context;
}

/** Notes any credential the page's origin keeps in localStorage. */
async function inspectStorage(page: Page): Promise<void> {
  if (page.isClosed()) return;
  const entries = await page
    .evaluate(() => {
      try {
        return Object.entries(localStorage);
      } catch {
        return []; // about:blank and error pages have no storage of their own
      }
    })
    .catch(() => [] as [string, string][]);
  for (const [key, value] of entries) {
    if (CREDENTIAL_KEY.test(key) || CREDENTIAL_VALUE.test(value)) findings.push(`localStorage of ${page.url()} keeps a credential under '${key}'`);
  }
}

/** Installs the checks on every context and page the browser opens. */
export function guardBrowser(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  const close = browser.close.bind(browser);
  browser.newContext = async (options) => watchContext(await newContext(options));
  browser.newPage = async (options) => {
    const page = await newPage(options); // its context comes from browser.newContext, so it is watched
    const closePage = page.close.bind(page);
    page.close = async (closeOptions) => {
      await inspectStorage(page);
      return closePage(closeOptions);
    };
    return page;
  };
  browser.close = async (options) => {
    await Promise.all(browser.contexts().flatMap((c) => c.pages()).map(inspectStorage));
    await close(options);
    const found = findings.splice(0);
    if (found.length > 0) throw new Error(`Browser checks failed:\n${found.join('\n')}`);
  };
  return browser;
}
