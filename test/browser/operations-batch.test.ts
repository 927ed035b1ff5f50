/**
 * Batch operations on the operations page (issue #12), in headless
 * Chromium: a retry and a cancel over a search result (the whole result,
 * not the page), confirmed in a dialog that counts the instances, worked in
 * the background with the progress following live, the outcome of each
 * instance shown (a failure with its code), a running batch stopped, a
 * migration of one version's instances to another, the views at phone
 * width and with no serious accessibility violation, and no batch action
 * for a role that may not.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser, screenshot, tokenPage } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';
import { addUser } from '../fixtures/people/client.js';
import { openJob } from '../support/operation-helpers.js';

const orderApproval = readFileSync(new URL('../../processes/order-approval.bpmn', import.meta.url), 'utf8');
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('the operations page, batch operations', () => {
  let t: TestWeft;
  let browser: Browser;
  let page: Page;

  const start = async (processId: string, variables: Record<string, unknown>) => (await t.weft.engine.startInstance({ processId, variables }, 'test')).id;
  const state = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;
  /** Searches the list for instances whose variable `lot` is `lot`, and waits for `count` of them. */
  const searchLot = async (lot: string, count: number) => {
    await page.goto(`${t.weft.url}/operations`);
    await page.locator('[data-testid="filter-variable-name"]').fill('lot');
    await page.locator('[data-testid="filter-variable-value"]').fill(JSON.stringify(lot));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[data-testid="batch-bar-hint"]', { hasText: `all ${count} instances of this search` }).waitFor();
  };

  beforeAll(async () => {
    // One item a chunk, with a pause: a batch of a few instances runs for seconds, long enough to watch (and stop).
    t = await startTestWeft({}, { config: { batchOperations: { chunkSize: 1, pauseMs: 400, pollMs: 200 } } });
    browser = await launchBrowser();
    await t.weft.engine.deploy([{ name: 'order-approval.bpmn', content: orderApproval }], 'test');
    await t.api.deploy([{ name: 'migrate-v1.bpmn', xml: fixture('migrate-v1.bpmn') }]);
    await t.api.deploy([{ name: 'migrate-v2.bpmn', xml: fixture('migrate-v2.bpmn') }]);
    page = await tokenPage(browser, t.config.adminToken!, { viewport: { width: 1400, height: 1100 }, timeoutMs: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('retries the incidents of a whole search in the background, following its progress and each instance\'s outcome', async () => {
    // given: five instances of lot "r": three stopped by an incident, one waiting without one, one canceled
    const failing: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await start('order-approval', { lot: 'r', amount: 10 });
      await t.weft.engine.failJob((await openJob(t.weft.db, id, 'check-stock')).key, { retries: 0, errorMessage: 'stock service down' }, 'test');
      failing.push(id);
    }
    const waiting = await start('order-approval', { lot: 'r', amount: 10 });
    const canceled = await start('order-approval', { lot: 'r', amount: 10 });
    await t.weft.engine.cancelInstance(canceled, 'test');
    await eventually(async () => (await t.api.get('/api/incidents?state=OPEN')).body.items.length === 3);
    await searchLot('r', 5);

    // when: the operator retries the incidents of the search, giving each job 2 attempts
    await page.getByRole('button', { name: 'Retry incidents…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry incidents' });
    await dialog.locator('[data-testid="batch-summary"]', { hasText: '5 instances' }).waitFor();
    await expect(dialog.locator('[data-testid="batch-summary"]').textContent()).resolves.toContain('3 with an open incident now');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'operations-batch-retry-dialog');
    await dialog.locator('[data-testid="batch-retries"]').fill('2');
    await dialog.getByLabel('Reason').fill('stock service is back');
    const seen: string[] = [];
    await page.exposeFunction('sawProgress', (words: string) => seen.push(words));
    await dialog.getByRole('button', { name: 'Retry incidents of 5 instances' }).click();

    // then: the batch's detail follows it to the end, live
    await page.locator('[data-testid="batch-progress"]').waitFor();
    await page.evaluate(() => {
      const live = document.querySelector('[data-testid="batch-progress"]')!;
      new MutationObserver(() => (window as unknown as { sawProgress(s: string): void }).sawProgress(live.textContent ?? '')).observe(live, { childList: true, characterData: true, subtree: true });
    });
    await page.locator('[data-testid="batch-head"] [data-testid="batch-state"]', { hasText: 'COMPLETED' }).waitFor();
    await expect(page.locator('[data-testid="batch-progress"]').textContent()).resolves.toBe('5 of 5 worked: 3 done, 1 failed, 1 skipped');
    await expect(page.locator('[data-testid="batch-progress"]').getAttribute('aria-live')).resolves.toBe('polite');
    expect(seen.length).toBeGreaterThan(0); // it changed in place while it ran, not only on a reload
    await expect(page.locator('[data-testid="batch-head"]').textContent()).resolves.toContain('stock service is back');

    // and: each instance's outcome; the ended one failed, with the engine's code
    for (const id of failing) await expect(page.locator(`[data-item="${id}"] [data-testid="item-state"]`).textContent()).resolves.toBe('done');
    await expect(page.locator(`[data-item="${waiting}"] [data-testid="item-message"]`).textContent()).resolves.toBe('no open incident');
    await page.locator('[data-testid="item-filter"]').selectOption('failed');
    await expect.poll(() => page.locator('[data-testid="batch-items"] tbody tr').count()).toBe(1);
    await expect(page.locator(`[data-item="${canceled}"] [data-testid="item-code"]`).textContent()).resolves.toBe('INSTANCE_NOT_ACTIVE');
    await expect(page.locator(`[data-item="${canceled}"] [data-testid="item-message"]`).textContent()).resolves.toContain('CANCELED');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'operations-batch-retry-done');
    expect((await t.api.get('/api/incidents?state=OPEN')).body.items).toEqual([]);

    // and: an instance's link opens it
    await page.locator(`[data-item="${canceled}"] a`).click();
    await page.locator('[data-testid="detail-head"]', { hasText: 'CANCELED' }).waitFor();
    expect(new URL(page.url()).searchParams.get('instance')).toBe(canceled);
  });

  it('cancels a search\'s instances and stops the batch part way: the rest is skipped, what was done stays done', async () => {
    // given: eight active instances of lot "c"
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await start('order-approval', { lot: 'c', amount: 10 }));
    await searchLot('c', 8);

    // when: canceled as a batch, then stopped once the first are canceled
    await page.getByRole('button', { name: 'Cancel…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel instances' });
    await dialog.locator('[data-testid="batch-summary"]', { hasText: '8 instances' }).waitFor();
    await expect(dialog.locator('[data-testid="batch-summary"]').textContent()).resolves.toContain('cannot be undone');
    await dialog.getByRole('button', { name: 'Cancel 8 instances' }).click();
    await page.locator('[data-testid="batch-progress"]', { hasText: /^[1-6] of 8 worked/ }).waitFor();
    page.once('dialog', (confirm) => void confirm.accept());
    await page.getByRole('button', { name: 'Stop' }).click();

    // then
    await page.locator('[data-testid="batch-head"] [data-testid="batch-state"]', { hasText: 'CANCELED' }).waitFor();
    await expect(page.getByRole('button', { name: 'Stop' }).count()).resolves.toBe(0);
    const batch = (await t.api.get('/api/batch-operations?limit=1')).body.items[0];
    expect(batch).toMatchObject({ kind: 'cancel', state: 'CANCELED', total: 8, failed: 0, pending: 0 });
    expect(batch.done).toBeGreaterThan(0);
    expect(batch.skipped).toBeGreaterThan(0);
    const states = await Promise.all(ids.map(async (id) => (await state(id)).state));
    expect(states.filter((s) => s === 'CANCELED').length).toBe(batch.done);
    await page.locator('[data-testid="item-filter"]').selectOption('skipped');
    await expect.poll(() => page.locator('[data-testid="item-state"]').allTextContents()).toEqual(Array(batch.skipped).fill('skipped'));
    await expect(page.locator('[data-testid="item-message"]').first().textContent()).resolves.toBe('batch operation canceled');
    await screenshot(page, 'operations-batch-stopped');

    // and: the list of batches shows both, newest first
    await page.getByRole('link', { name: '‹ All batch operations' }).click();
    await expect.poll(() => page.locator('[data-testid="batch-list"] > li').count()).toBe(2);
    await expect(page.locator('[data-testid="batch-list"] > li').first().textContent()).resolves.toContain('Cancel');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('migrates the instances of one version to another with one mapping, and asks for one version first', async () => {
    // given: three instances of migrate-order v1 waiting at Charge
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = (await t.api.post('/api/process-instances', { processId: 'migrate-order', version: 1, variables: {} })).body;
      await openJob(t.weft.db, id, 'mig-charge');
      ids.push(id);
    }
    await page.goto(`${t.weft.url}/operations`);
    await page.locator('[data-testid="filter-process"]').selectOption('migrate-order');
    await page.locator('[data-testid="batch-bar-hint"]', { hasText: 'one process and one version' }).waitFor();
    await expect(page.getByRole('button', { name: 'Migrate…' }).isDisabled()).resolves.toBe(true);

    // when: v1 is chosen in Definitions, and its instances migrated to v2 with Charge → Charge card
    await page.locator('[data-definition="migrate-order"][data-version="1"]').click();
    await page.locator('[data-testid="batch-bar-hint"]', { hasText: 'all 3 instances' }).waitFor();
    await page.getByRole('button', { name: 'Migrate…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Migrate instances' });
    await dialog.locator('select[data-batch-map="charge"]').waitFor();
    await expect(dialog.locator('[data-testid="batch-target"] option:checked').textContent()).resolves.toBe('v2');
    await expect(dialog.locator('select[data-batch-map="review"]').inputValue()).resolves.toBe('review');
    await dialog.locator('select[data-batch-map="charge"]').selectOption('chargeCard');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'operations-batch-migrate-dialog');
    await dialog.getByRole('button', { name: 'Migrate 3 instances' }).click();

    // then
    await page.locator('[data-testid="batch-head"] [data-testid="batch-state"]', { hasText: 'COMPLETED' }).waitFor();
    await expect(page.locator('[data-testid="batch-progress"]').textContent()).resolves.toBe('3 of 3 worked: 3 done, 0 failed, 0 skipped');
    await expect(page.locator('[data-testid="item-message"]').first().textContent()).resolves.toBe('migrated from version 1 to 2');
    await expect(page.locator('[data-testid="batch-head"]').textContent()).resolves.toContain('charge → chargeCard');
    for (const id of ids) expect((await state(id)).version).toBe(2);
    await screenshot(page, 'operations-batch-migrated');
  });

  it('keeps a dialog reopened for another action whole while the first one\'s count is still on its way', async () => {
    // given: two active instances of lot "d", and the dialog's counts (the searches of one row) held back
    for (let i = 0; i < 2; i++) await start('order-approval', { lot: 'd', amount: 10 });
    await searchLot('d', 2);
    const held: (() => Promise<void>)[] = [];
    const counting = (url: URL) => url.pathname === '/api/process-instances' && url.searchParams.get('limit') === '1';
    let holding = true;
    await page.route(counting, (route) => (holding ? void held.push(() => route.continue()) : route.continue()));

    // when: Retry is opened and closed while it counts, then Cancel is opened
    // (each dialog counts twice at once: the search, and those it acts on now)
    await page.getByRole('button', { name: 'Retry incidents…' }).click();
    await expect.poll(() => held.length).toBe(2);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Cancel…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel instances' });
    await expect.poll(() => held.length).toBe(4);
    // and: Cancel's counts finish first, the stale Retry counts after them
    holding = false;
    const [retryCounts, cancelCounts] = [held.slice(0, 2), held.slice(2)];
    await Promise.all(cancelCounts.map((release) => release()));
    await dialog.getByRole('button', { name: 'Cancel 2 instances' }).waitFor();
    await Promise.all(retryCounts.map((release) => release()));
    await page.waitForTimeout(500); // time for the stale open() to go on (it asked for the open incidents next, and wrote)

    // then: the dialog still says cancel everywhere, and a cancel is what is posted
    await expect(dialog.locator('#batch-dialog-title').textContent()).resolves.toBe('Cancel instances');
    await expect(dialog.locator('[data-testid="batch-summary"]').textContent()).resolves.toContain('cannot be undone');
    await expect(dialog.locator('[data-testid="batch-retries"]').count()).resolves.toBe(0);
    await expect(dialog.getByRole('button', { name: /^Retry/ }).count()).resolves.toBe(0);
    const posted = page.waitForRequest((req) => req.method() === 'POST' && new URL(req.url()).pathname === '/api/batch-operations');
    await dialog.getByRole('button', { name: 'Cancel 2 instances' }).click();
    expect((await posted).postDataJSON()).toMatchObject({ kind: 'cancel', filter: { variableName: 'lot' } });
    await page.locator('[data-testid="batch-head"] [data-testid="batch-state"]', { hasText: 'COMPLETED' }).waitFor();
    expect((await t.api.get('/api/batch-operations?limit=1')).body.items[0]).toMatchObject({ kind: 'cancel', total: 2, done: 2 });
    await page.unroute(counting);
  });

  it('offers no batch action for a search that failed, not even over the search shown before it', async () => {
    // given: a search that matches instances, with its actions offered
    for (let i = 0; i < 2; i++) await start('order-approval', { lot: 'e', amount: 10 });
    await searchLot('e', 2);
    await expect(page.getByRole('button', { name: 'Cancel…' }).isEnabled()).resolves.toBe(true);

    // when: the next search is refused (a variable value that is not JSON)
    await page.locator('[data-testid="filter-variable-value"]').fill('not json');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[data-testid="filter-error"]:not([hidden])').waitFor();

    // then: every action is off, and the bar says why
    for (const name of ['Cancel…', 'Retry incidents…', 'Migrate…']) await expect(page.getByRole('button', { name }).isDisabled(), name).resolves.toBe(true);
    await expect(page.locator('[data-testid="batch-bar-hint"]').textContent()).resolves.toContain('Fix the search first');
  });

  it('fits a phone: the dialog and the batch views, with no serious accessibility violation', async () => {
    // given: the active instances and batches of the tests above
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.addInitScript((token) => sessionStorage.setItem('weft.apiToken', token), t.config.adminToken!);
    await phone.goto(`${t.weft.url}/operations?batches`);
    await phone.locator('[data-testid="batches"] > *').first().waitFor();
    expect(await seriousViolations(phone)).toEqual([]);
    const width = () => phone.evaluate(() => document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(390);
    await screenshot(phone, 'operations-batch-list-phone');
    await phone.locator('[data-testid="filter-state"]').selectOption('ACTIVE');
    await phone.getByRole('button', { name: 'Cancel…' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Cancel instances' });
    await dialog.locator('[data-testid="batch-summary"]', { hasText: 'instances' }).waitFor();
    // focus is in the dialog, and Escape closes it without making a batch
    expect(await phone.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'operations-batch-dialog-phone');
    const before = (await t.api.get('/api/batch-operations')).body.total;
    await phone.keyboard.press('Escape');
    await expect(dialog.isVisible()).resolves.toBe(false);
    expect((await t.api.get('/api/batch-operations')).body.total).toBe(before);
    await phone.close();
  });

  it('offers no batch action to a modeler, and the API refuses one', async () => {
    // given
    await addUser(t.api, 'mona', 'modeler');
    const token = (await t.api.post('/api/tokens', { user: 'mona', name: 'browser' })).body.token as string;
    const context = await browser.newContext();
    const modelerPage = await context.newPage();
    await modelerPage.addInitScript((value) => sessionStorage.setItem('weft.apiToken', value), token);
    const before = (await t.api.get('/api/batch-operations')).body.total;

    // when
    await modelerPage.goto(`${t.weft.url}/operations`);

    // then: the page says it is for operators, with no batch action or view
    await modelerPage.locator('[data-testid="needs-operator"]').waitFor();
    await expect(modelerPage.locator('[data-batch-kind]').count()).resolves.toBe(0);
    await expect(modelerPage.locator('[data-testid="open-batches"]').count()).resolves.toBe(0);
    // and: the API refuses the modeler's batch, which makes nothing
    const refused = await modelerPage.evaluate(async (bearer) => {
      const res = await fetch('/api/batch-operations', { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'cancel', filter: { processId: 'order-approval' } }) });
      return res.status;
    }, token);
    expect(refused).toBe(403);
    expect((await t.api.get('/api/batch-operations')).body.total).toBe(before);
    await context.close();
  });
});
