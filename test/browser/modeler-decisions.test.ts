/**
 * DMN in the modeler page (/modeler), in headless Chromium against a whole
 * Weft: a business rule task's decision opens in dmn-js (attached, or a new
 * table), is edited, and deploys with the diagram; the page's CSP holds
 * throughout (browser-guards.ts fails the test on a violation).
 * Screenshots go to test/artifacts/modeler-decision-*.png.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { buildModelerPage, openModelerPage } from '../support/modeler-page.js';

const PRICING = fileURLToPath(new URL('../fixtures/modeler/business-rule-task.bpmn', import.meta.url));
const NEW_RULES = fileURLToPath(new URL('../fixtures/modeler/business-rule-task-new.bpmn', import.meta.url));
const DISCOUNT = fileURLToPath(new URL('../fixtures/dmn/discount.dmn', import.meta.url));

describe('the modeler page: decisions (DMN)', () => {
  let t: TestWeft;
  let browser: Browser;
  let context: BrowserContext;
  let external: string[];
  let pageErrors: string[];
  let pagesDir: string;

  beforeAll(async () => {
    pagesDir = await buildModelerPage('weft-modeler-dmn-pages-');
    t = await startTestWeft({ pagesDir });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await context?.close();
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function openModeler(): Promise<Page> {
    const opened = await openModelerPage(browser, t.weft.url!, t.config.adminToken!, 15_000);
    ({ context, external, pageErrors } = opened);
    return opened.page;
  }

  const status = (page: Page) => page.locator('[data-testid=status]');

  it('opens the attached decision of a business rule task in dmn-js, edits a rule and deploys it with the diagram', async () => {
    // given a business rule task calling decision "discount", with discount.dmn attached
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', PRICING);
    await page.setInputFiles('input[data-action=attach]', DISCOUNT);
    await expect.poll(() => page.locator('[data-testid=attachments] .attachment').allInnerTexts()).toEqual([expect.stringContaining('discount.dmn')]);
    await page.click('[data-element-id=Rate] .djs-hit');

    // when: open its decision, the table shows; change rule 1's discount from 0.15 to 0.25
    await page.click('button[data-action=decision]');
    await page.waitForSelector('#decision-dialog[open] .tjs-table');
    await expect(page.locator('[data-testid=decision-id]').textContent()).resolves.toBe('discount');
    await expect(page.locator('[data-testid=decision-views] button').allInnerTexts()).resolves.toEqual(['Requirements', 'Discount', 'Order total', 'Summary']);
    const cell = page.locator('#decision-dialog td[data-element-id=r1-out] .content-editable');
    await expect(cell.textContent()).resolves.toBe('0.15');
    await cell.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.25');
    await page.locator('#decision-dialog h2').click();
    await screenshot(page, 'modeler-decision-table');
    await page.click('[data-testid=decision-save]');

    // then the edited file replaces the attachment, and the deploy takes it
    // (kept per diagram, by its process id: modeler/src/modeler/attachment-store.ts)
    await expect
      .poll(() => page.evaluate(() => (JSON.parse(localStorage.getItem('weft.modeler.attachments') ?? '{}')['modeler-pricing']?.attachments ?? []).map((a: { content: string }) => a.content).join('\n')))
      .toContain('0.25');
    await page.click('button[data-action=deploy]');
    await expect.poll(() => status(page).textContent()).toMatch(/Deployed modeler-pricing version 1 with 3 decisions/);
    const evaluated = await t.api.post('/api/decisions/discount/evaluate', { variables: { customer: { status: 'gold' }, lines: [{ price: 600, quantity: 2 }] } });
    expect(evaluated.body).toMatchObject({ version: 1, result: 0.25 });
  });

  it('creates a new decision table for a business rule task without one, links the task to it, and a table without an input expression is refused naming the input', async () => {
    // given a business rule task that names no decision
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', NEW_RULES);
    await page.click('[data-element-id=Rate] .djs-hit');

    // when: open its decision (none is attached or deployed) and save the new table as it is
    await page.click('button[data-action=decision]');
    await page.waitForSelector('#decision-dialog[open] .tjs-table');
    await expect(page.locator('[data-testid=decision-id]').textContent()).resolves.toBe('Rate-decision');
    await screenshot(page, 'modeler-decision-new');
    await page.click('[data-testid=decision-save]');

    // then the task calls it, and the deploy names what the table still lacks
    await expect.poll(() => page.locator('[data-testid=attachments] .attachment').allInnerTexts()).toEqual([expect.stringContaining('Rate-decision.dmn')]);
    const xml = await page.evaluate(async () => (await window.weftModeler.saveXML()).xml!);
    expect(xml).toContain('<zeebe:calledDecision decisionId="Rate-decision" resultVariable="Rate_decision" />');
    await page.click('button[data-action=deploy]');
    await expect.poll(() => status(page).textContent()).toMatch(/Deploy refused: 1 problem/);
    await expect(page.locator('[data-testid=problems] li').allInnerTexts()).resolves.toEqual([expect.stringContaining('input "Input" has no input expression')]);
  });
});
