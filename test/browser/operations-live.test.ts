/**
 * The operations page of issue #12 in headless Chromium: incident markers
 * and the incident filter, an open instance that follows the engine without
 * a reload, a retry after a variable is fixed, the zoom buttons, the message
 * a plain user gets, and no serious accessibility violation.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot, tokenPage } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';
import { addUser, signIn } from '../fixtures/people/client.js';
import { openJob } from '../support/operation-helpers.js';

const orderApproval = readFileSync(new URL('../../processes/order-approval.bpmn', import.meta.url), 'utf8');
const routeByAmount = readFileSync(new URL('./fixtures/route-by-amount.bpmn', import.meta.url), 'utf8');

describe('the operations page, live', () => {
  let t: TestWeft;
  let browser: Browser;
  let page: Page;
  let waiting: string;
  let failing: string;
  let unrouted: string;

  /** The diagram's scale, read from the viewport transform bpmn-js draws with. */
  const scale = () => page.locator('[data-testid="diagram"] .viewport').evaluate((g) => (g as SVGGraphicsElement).transform.baseVal.consolidate()?.matrix.a ?? 1);

  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
    await t.weft.engine.deploy([{ name: 'order-approval.bpmn', content: orderApproval }, { name: 'route-by-amount.bpmn', content: routeByAmount }], 'test');
    waiting = (await t.weft.engine.startInstance({ processId: 'order-approval', businessKey: 'order-1', variables: { amount: 10 } }, 'test')).id;
    failing = (await t.weft.engine.startInstance({ processId: 'order-approval', businessKey: 'order-2', variables: { amount: 20 } }, 'test')).id;
    await t.weft.engine.failJob((await openJob(t.weft.db, failing, 'check-stock')).key, { retries: 0, errorMessage: 'stock service down' }, 'test');
    // no amount: the gateway has no flow to take
    unrouted = (await t.weft.engine.startInstance({ processId: 'route-by-amount', businessKey: 'request-1' }, 'test')).id;
    await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${unrouted}&state=OPEN`)).body.items.length === 1);
    page = await tokenPage(browser, t.config.adminToken!, { viewport: { width: 1400, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('marks the element an incident stopped, names it, and filters the list by incident', async () => {
    // given
    const external = forbidExternalRequests(page, t.weft.url!);
    await page.goto(`${t.weft.url}/operations`);
    await page.locator(`[data-instance="${failing}"] .incident-count`).waitFor();

    // when
    await page.locator('[data-testid="filter-incident"]').selectOption('true');

    // then
    await expect.poll(() => page.locator('[data-testid="instances"] tbody tr[data-instance]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-instance')).sort())).toEqual([failing, unrouted].sort());
    await page.locator(`[data-instance="${failing}"]`).click();
    await page.locator('[data-incident-marker="check-stock"]').waitFor();
    await expect(page.locator('[data-element-id="check-stock"]').first().getAttribute('class')).resolves.toContain('weft-incident');
    await expect(page.locator('[data-testid="incident-element"]').first().textContent()).resolves.toBe('Check stock');
    await expect(page.locator('[data-testid="incident-message"]').first().textContent()).resolves.toContain('stock service down');
    await expect(page.locator('[data-testid="definitions"] [data-definition="order-approval"] [data-stat="incidents"]').textContent()).resolves.toBe('1');
    expect(external).toEqual([]);
    await screenshot(page, 'operations-incident-filter');
  });

  it('has no serious accessibility violation in its list and detail states', async () => {
    await page.goto(`${t.weft.url}/operations`);
    await page.locator(`[data-instance="${waiting}"]`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator(`[data-instance="${waiting}"]`).click();
    await page.locator('.weft-token[data-element="check-stock"]').waitFor();
    await page.locator('[data-testid="variables"]').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('fits the diagram to its box, and zooms in, out and back to fit with its buttons', async () => {
    // given
    await page.goto(`${t.weft.url}/operations?instance=${waiting}`);
    await page.locator('.weft-token[data-element="check-stock"]').waitFor();
    const box = (await page.locator('[data-testid="diagram-canvas"]').boundingBox())!;
    const drawn = (await page.locator('[data-testid="diagram"] .viewport').boundingBox())!;
    expect(drawn.x).toBeGreaterThanOrEqual(box.x - 1);
    expect(drawn.x + drawn.width).toBeLessThanOrEqual(box.x + box.width + 1);
    expect(drawn.y + drawn.height).toBeLessThanOrEqual(box.y + box.height + 1);
    const fitted = await scale();

    // when / then
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await scale()).toBeCloseTo(fitted * 1.25, 3);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    expect(await scale()).toBeCloseTo(fitted / 1.25, 3);
    await page.getByRole('button', { name: 'Fit the diagram' }).click();
    expect(await scale()).toBeCloseTo(fitted, 3);
  });

  it('moves the open instance on when its job is completed elsewhere, without a reload', async () => {
    // given
    await page.goto(`${t.weft.url}/operations?instance=${waiting}`);
    await page.locator('.weft-token[data-element="check-stock"]').waitFor();
    await page.locator('[data-testid="live-status"]', { hasText: 'Live' }).waitFor();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    // when: the job is completed through the API, not the page
    const job = await openJob(t.weft.db, waiting, 'check-stock');
    expect((await t.api.post(`/api/jobs/${job.key}/complete`, { variables: { checked: true } })).status).toBe(200);

    // then: amount 10 takes the default flow to shipping
    await page.locator('.weft-token[data-element="ship"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('.weft-token[data-element="check-stock"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-count="check-stock"]').textContent()).resolves.toBe('1');
    await expect(page.locator('[data-element-id="f4"]').first().getAttribute('class')).resolves.toContain('weft-taken');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await screenshot(page, 'operations-live-update');
  });

  it('retries after a variable is set: the incident resolves and the instance goes on', async () => {
    // given
    await page.goto(`${t.weft.url}/operations?instance=${unrouted}`);
    await page.locator('[data-incident-marker="how-large"]').waitFor();
    await expect(page.locator('[data-testid="incident-element"]').textContent()).resolves.toBe('How large?');

    // when
    const form = page.locator(`form[data-edit-scope="${unrouted}"]`);
    await form.getByLabel('Name').fill('amount');
    await form.getByLabel('Value (JSON)').fill('500');
    await form.getByLabel('Reason').fill('the request form lost the amount; it is 500');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="variables"] th', { hasText: 'amount' }).waitFor();
    await page.locator('[data-resolve]').click();

    // then
    await page.locator('.weft-token[data-element="review-large"]').waitFor();
    await expect(page.locator('[data-incident-marker="how-large"]').count()).resolves.toBe(0);
    expect((await t.api.get(`/api/incidents?processInstanceId=${unrouted}&state=OPEN`)).body.items).toEqual([]);
    const audit = (await t.api.get(`/api/process-instances/${unrouted}/audit`)).body.items.find((e: { type: string }) => e.type === 'VARIABLES_UPDATED');
    expect(audit.payload).toMatchObject({ variables: { amount: 500 }, reason: 'the request form lost the amount; it is 500' });
    await screenshot(page, 'operations-retry-after-variable');
  });

  it('follows the engine with a signed-in session too (the stream carries the cookie, no token anywhere)', async () => {
    // given: an operator signed in, no API token in the tab
    await addUser(t.api, 'olive', 'operator');
    const session = await signIn(t.weft.url!, 'olive', 'olive-password');
    const context = await browser.newContext();
    await context.addCookies(session.cookie.split('; ').map((pair) => ({ name: pair.split('=')[0], value: pair.slice(pair.indexOf('=') + 1), url: t.weft.url! })));
    const opsPage = await context.newPage();
    const streams: string[] = [];
    opsPage.on('request', (request) => {
      if (request.url().includes('/api/events')) streams.push(request.url());
    });
    await opsPage.goto(`${t.weft.url}/operations`);
    await opsPage.locator('[data-testid="live-status"]', { hasText: 'Live' }).waitFor();

    // when: an instance is started elsewhere
    const started = (await t.weft.engine.startInstance({ processId: 'order-approval', businessKey: 'order-live' }, 'test')).id;

    // then: it appears in the list without a reload, and the stream's address holds no credential
    await opsPage.locator(`[data-instance="${started}"]`).waitFor({ timeout: 10_000 });
    expect(streams.length).toBeGreaterThan(0);
    for (const url of streams) expect(new URL(url).search).toBe('');
    await context.close();
  });

  it('tells a plain user the page needs the operator role', async () => {
    // given
    await addUser(t.api, 'plain', 'user');
    const token = (await t.api.post('/api/tokens', { user: 'plain', name: 'browser' })).body.token as string;
    const context = await browser.newContext();
    const userPage = await context.newPage();
    await userPage.addInitScript((value) => sessionStorage.setItem('weft.apiToken', value), token);

    // when
    await userPage.goto(`${t.weft.url}/operations`);

    // then
    const notice = userPage.locator('[data-testid="needs-operator"]');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('needs the operator or admin role');
    await expect(userPage.locator('[data-testid="instances"]').count()).resolves.toBe(0);
    await screenshot(userPage, 'operations-plain-user');
    await context.close();
  });
});
