import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';

describe('the entry page', () => {
  let t: TestWeft;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('links the modeler, the inbox and operations, and loads nothing from elsewhere', async () => {
    // given
    const page = await browser.newPage();
    const external = forbidExternalRequests(page, t.weft.url!);

    // when
    const response = await page.goto(`${t.weft.url}/`);

    // then
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Weft');
    const links = await page.getByRole('navigation', { name: 'Where to start' }).locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['/modeler', '/inbox', '/operations']);
    expect(external).toEqual([]);
    await screenshot(page, 'entry-page');
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.weft.url}/`);

    await expect(seriousViolations(page)).resolves.toEqual([]);
  });
});
