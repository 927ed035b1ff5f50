/**
 * The header every page shows (modeler/src/shared/nav.ts): Weft, Modeler,
 * Inbox and Operations on each page, as a navigation landmark, the current
 * page marked aria-current="page", and following a link gets there.
 * Screenshots go to test/artifacts/page-header-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';
import { addUser } from '../fixtures/people/client.js';

const PAGES = [
  { path: '/', current: '/' },
  { path: '/modeler', current: '/modeler' },
  { path: '/inbox', current: '/inbox' },
  { path: '/operations', current: '/operations' },
  { path: '/sign-in', current: null },
];

describe('the page header', () => {
  let t: TestWeft;
  let browser: Browser;
  let page: Page;
  let external: string[];
  const errors: string[] = [];

  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
    // an operator, signed in: /inbox stays /inbox and /operations shows its instances (the session works on every page)
    await addUser(t.api, 'hana', 'operator');
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    external = forbidExternalRequests(page, t.weft.url!);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.weft.url}/sign-in?next=/inbox`);
    await page.getByLabel('User name').fill('hana');
    await page.getByLabel('Password').fill('hana-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/inbox');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** The header's links on the page at `path`: where each goes and which one is current. */
  async function header(path: string) {
    await page.goto(`${t.weft.url}${path}`);
    const nav = page.getByRole('navigation', { name: 'Weft pages' });
    await nav.locator('a').first().waitFor();
    return nav.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent, current: a.getAttribute('aria-current') })));
  }

  it.each(PAGES)('is on $path, linking every page and marking the current one', async ({ path, current }) => {
    errors.length = 0;

    // when
    const links = await header(path);

    // then
    expect(links.map((l) => [l.href, l.text])).toEqual([
      ['/', 'Weft'],
      ['/modeler', 'Modeler'],
      ['/inbox', 'Inbox'],
      ['/operations', 'Operations'],
    ]);
    expect(links.filter((l) => l.current).map((l) => [l.href, l.current])).toEqual(current ? [[current, 'page']] : []);
    await expect(page.getByRole('navigation', { name: 'Weft pages' }).count()).resolves.toBe(1);
    await screenshot(page, `page-header-${path === '/' ? 'entry' : path.slice(1)}`);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('takes you from the inbox to operations and on to the modeler', async () => {
    await page.goto(`${t.weft.url}/inbox`);
    await page.getByRole('navigation', { name: 'Weft pages' }).getByRole('link', { name: 'Operations' }).click();
    await page.waitForURL((url) => url.pathname === '/operations');
    await page.getByRole('navigation', { name: 'Weft pages' }).getByRole('link', { name: 'Modeler' }).click();
    await page.waitForURL((url) => url.pathname === '/modeler');
    await expect(page.getByRole('navigation', { name: 'Weft pages' }).locator('[aria-current=page]').textContent()).resolves.toBe('Modeler');
  });

  it('has no serious or critical accessibility violation of its own on the entry page (axe-core)', async () => {
    await page.goto(`${t.weft.url}/`);
    await page.getByRole('navigation', { name: 'Weft pages' }).locator('a').first().waitFor();
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });
});
