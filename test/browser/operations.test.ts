/**
 * The operations page in headless Chromium: instances, tokens on the
 * diagram, incidents resolved and instances canceled from the page.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';

const orderApproval = readFileSync(new URL('../../processes/order-approval.bpmn', import.meta.url), 'utf8');

describe('the operations page', () => {
  let t: TestWeft;
  let browser: Browser;
  let page: Page;
  let waiting: string;
  let failing: string;

  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
    await t.weft.engine.deploy([{ name: 'order-approval.bpmn', content: orderApproval }], 'test');
    waiting = (await t.weft.engine.startInstance({ processId: 'order-approval', businessKey: 'order-1', variables: { amount: 10 } }, 'test')).id;
    failing = (await t.weft.engine.startInstance({ processId: 'order-approval', businessKey: 'order-2', variables: { amount: 20 } }, 'test')).id;
    // the second instance's job fails for good: an incident on check-stock
    const [job] = (await t.api.post('/api/jobs/activate', { type: 'check-stock', maxJobs: 10, workerId: 'test' })).body.jobs.filter((j: any) => j.processInstanceId === failing);
    await t.api.post(`/api/jobs/${job.key}/fail`, { retries: 0, errorMessage: 'stock service down' });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.addInitScript((token) => sessionStorage.setItem('weft.apiToken', token), t.config.adminToken!);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('lists instances and shows where the tokens are, with the audit trail', async () => {
    // given
    const external = forbidExternalRequests(page, t.weft.url!);

    // when
    await page.goto(`${t.weft.url}/operations`);
    await page.locator(`[data-instance="${waiting}"]`).click();

    // then
    await expect(page.locator('[data-testid="instances"] tbody tr').count()).resolves.toBe(2);
    await page.locator('.weft-token[data-element="check-stock"]').waitFor();
    await expect(page.locator('[data-testid="instance-state"]').textContent()).resolves.toBe('ACTIVE');
    const events = await page.locator('[data-testid="audit"] tbody td:nth-child(2)').allTextContents();
    expect(events).toEqual(expect.arrayContaining(['INSTANCE_CREATED', 'JOB_CREATED']));
    await expect.poll(() => page.locator('[data-testid="incident-banner"]').textContent()).toBe('1 open incident(s)');
    expect(external).toEqual([]);
    await screenshot(page, 'operations-instance');
  });

  it('resolves an incident from the page, which hands the job out again', async () => {
    // given
    await page.goto(`${t.weft.url}/operations?instance=${failing}`);
    await page.locator('.weft-token.incident[data-element="check-stock"]').waitFor();
    await screenshot(page, 'operations-incident');

    // when
    await page.locator('[data-resolve]').click();

    // then
    await eventually(async () => (await t.api.get(`/api/incidents?processInstanceId=${failing}&state=OPEN`)).body.items.length === 0);
    await page.locator('.weft-token:not(.incident)[data-element="check-stock"]').waitFor();
  });

  it('cancels an instance after asking', async () => {
    // given
    await page.goto(`${t.weft.url}/operations?instance=${waiting}`);
    page.once('dialog', (dialog) => void dialog.accept());

    // when
    await page.locator('[data-action="cancel"]').click();

    // then
    await eventually(async () => (await t.api.get(`/api/process-instances/${waiting}`)).body.state === 'CANCELED');
    await page.locator('[data-testid="instance-state"]', { hasText: 'CANCELED' }).waitFor();
    await expect(page.locator('[data-action="cancel"]').count()).resolves.toBe(0);
  });
});
