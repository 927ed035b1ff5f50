/**
 * /api/docs (issue #12): Swagger UI over /api/openapi.json, served from
 * node_modules under the app's Content-Security-Policy (the browser guard
 * fails a test on any violation), reaching nothing but this server.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../fixtures/people/client.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';

describe('the API docs page', () => {
  let t: TestWeft;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestWeft();
    await addUser(t.api, 'olga', 'operator');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function signIn(page: Page, name: string): Promise<void> {
    await page.goto(`${t.weft.url}/sign-in?next=${encodeURIComponent('/api/docs')}`);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(`${name}-password`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/api\/docs$/);
  }

  it('shows every route of the document to a signed-in operator, with a body\'s schema, and loads nothing from elsewhere', async () => {
    // given
    const page = await browser.newPage();
    const external = forbidExternalRequests(page, t.weft.url!);
    const routeCount = t.weft.app!.locals.apiRoutes.length;
    // when
    await signIn(page, 'olga');
    // then every operation is listed
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 15_000 }).toBe(routeCount);
    await expect(page.getByText("Recompute the instance's audit hash chain", { exact: false }).first().isVisible()).resolves.toBe(true);
    // and an operation opens to its request body
    await page.locator('#operations-process-instances-postProcessInstances .opblock-summary').click();
    await expect.poll(() => page.locator('#operations-process-instances-postProcessInstances').textContent()).toContain('processId');
    expect(external).toEqual([]);
    await screenshot(page, 'api-docs');
  });

  it('works with a token pasted in this tab (sessionStorage), as the other pages do', async () => {
    // given the admin token, as the token dialog of the other pages keeps it
    const page = await browser.newPage();
    await page.goto(`${t.weft.url}/api/docs`);
    await page.evaluate((token) => sessionStorage.setItem('weft.apiToken', token), t.config.adminToken!);
    // when
    await page.reload();
    // then
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 15_000 }).toBeGreaterThan(30);
  });

  it('sends an anonymous reader to sign in, and shows no routes', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.weft.url}/api/docs`);
    await expect.poll(() => page.locator('#weft-docs-status').textContent()).toContain('for signed-in callers');
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/sign-in?next=%2Fapi%2Fdocs');
    expect(await page.locator('.opblock').count()).toBe(0);
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const page = await browser.newPage();
    await signIn(page, 'olga');
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 15_000 }).toBeGreaterThan(30);
    await expect(seriousViolations(page)).resolves.toEqual([]);
  });
});
