/**
 * The operations page changing a running instance (issue #12), in headless
 * Chromium: a token moved on the page goes on from its new element, a
 * migration is dry-run then applied, a refusal names the unmapped element,
 * and the sections pass the accessibility check.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser, screenshot, tokenPage } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';
import { openJob, openTask } from '../support/operation-helpers.js';

const read = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('the operations page, modifying and migrating', () => {
  let t: TestWeft;
  let browser: Browser;
  let page: Page;
  let v2: string;

  const startV1 = async () => {
    const { id } = (await t.api.post('/api/process-instances', { processId: 'migrate-order', version: 1, variables: {} })).body;
    await openJob(t.weft.db, id, 'mig-charge');
    return id as string;
  };
  const state = async (id: string) => (await t.api.get(`/api/process-instances/${id}`)).body;

  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
    await t.api.deploy([{ name: 'migrate-v1.bpmn', xml: read('migrate-v1.bpmn') }]);
    v2 = (await t.api.deploy([{ name: 'migrate-v2.bpmn', xml: read('migrate-v2.bpmn') }])).body.processes[0].key;
    page = await tokenPage(browser, t.config.adminToken!, { viewport: { width: 1400, height: 1200 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('moves a token to another element, and the instance goes on from there', async () => {
    // given: a v1 instance waiting at the service task Charge
    const id = await startV1();
    await page.goto(`${t.weft.url}/operations?instance=${id}`);
    await page.locator('.weft-token[data-element="charge"]').waitFor();

    // when: the operator picks Charge on the diagram and moves its token to Review
    await page.locator('[data-element-id="charge"]').first().click();
    await expect(page.locator('[data-testid="modify-from"]').inputValue()).resolves.toBe('charge');
    await page.locator('[data-testid="modify-to"]').selectOption('review');
    await page.locator('[data-testid="modify-reason"]').fill('charged by hand at the desk');
    await page.getByRole('button', { name: 'Move token' }).click();

    // then: the page says so and shows the token at Review; completing Review ends the instance
    await page.locator('[data-testid="modify-status"]', { hasText: 'Moved the token from Charge to Review' }).waitFor();
    await page.locator('.weft-token[data-element="review"]').waitFor();
    await expect(page.locator('.weft-token[data-element="charge"]').count()).resolves.toBe(0);
    await screenshot(page, 'operations-token-moved');
    const task = await openTask(t.weft.db, id);
    expect(task.element_id).toBe('review');
    expect((await t.api.post(`/api/tasks/${task.id}/complete`, {})).status).toBe(200);
    await eventually(async () => ((await state(id)).state === 'COMPLETED' ? true : null));
    const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items as { type: string; payload: { reason?: string } | null }[];
    expect(audit.some((e) => e.payload?.reason === 'charged by hand at the desk')).toBe(true);
  });

  it('cancels a token: it is gone, and the instance, left with no token, ends CANCELED as Zeebe ends it', async () => {
    // given: a v1 instance whose only token waits at Charge
    const id = await startV1();
    await page.goto(`${t.weft.url}/operations?instance=${id}`);
    await page.locator('.weft-token[data-element="charge"]').waitFor();

    // when: the operator cancels the token at Charge
    await page.locator('[data-testid="modify-from"]').selectOption('charge');
    await page.locator('[data-testid="modify-reason"]').fill('order withdrawn by phone');
    await page.getByRole('button', { name: 'Cancel token' }).click();

    // then: the page says so; the token and its job are gone and the instance has ended
    await page.locator('[data-testid="modify-status"]', { hasText: 'Canceled the token at Charge' }).waitFor();
    await page.locator('[data-testid="detail-head"]', { hasText: 'CANCELED' }).waitFor();
    await expect(page.locator('.weft-token[data-element="charge"]').count()).resolves.toBe(0);
    const after = await state(id);
    expect(after.state).toBe('CANCELED');
    expect(after.elements.some((e: { elementId: string; state: string }) => e.elementId === 'charge' && e.state !== 'COMPLETED' && e.state !== 'TERMINATED')).toBe(false);
    expect(await t.weft.db('jobs').where({ process_instance_id: id }).whereIn('state', ['ACTIVATABLE', 'ACTIVATED']).count<{ count: string }[]>('* as count')).toEqual([{ count: '0' }]);
    const audit = (await t.api.get(`/api/process-instances/${id}/audit`)).body.items as { payload: { reason?: string } | null }[];
    expect(audit.some((e) => e.payload?.reason === 'order withdrawn by phone')).toBe(true);
    await screenshot(page, 'operations-token-canceled');
  });

  it('says what was wrong with a request: a blank reason is named as the field', async () => {
    // given
    const id = await startV1();
    await page.goto(`${t.weft.url}/operations?instance=${id}`);
    await page.locator('.weft-token[data-element="charge"]').waitFor();

    // when: the reason is only spaces (the browser lets it through, the API does not)
    await page.locator('[data-testid="modify-reason"]').fill('   ');
    await page.getByRole('button', { name: 'Move token' }).click();

    // then: the refusal is shown in place and nothing moved
    await page.locator('[data-testid="modify-error"]:not([hidden])').waitFor();
    await expect(page.locator('[data-testid="modify-error"]').textContent()).resolves.toMatch(/reason: must not be empty/);
    expect((await state(id)).elements.some((e: { elementId: string; state: string }) => e.elementId === 'charge' && e.state !== 'COMPLETED')).toBe(true);
  });

  it('shows the engine refusing a move from an element whose token has gone, naming the instruction and element', async () => {
    // given: a page that does not follow the engine (its change stream cut), and the token moved elsewhere meanwhile
    const stale = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    await stale.addInitScript((token) => sessionStorage.setItem('weft.apiToken', token), t.config.adminToken!);
    await stale.route('**/api/events', (route) => route.abort());
    const id = await startV1();
    await stale.goto(`${t.weft.url}/operations?instance=${id}`);
    await stale.locator('.weft-token[data-element="charge"]').waitFor();
    const moved = await t.api.post(`/api/process-instances/${id}/modification`, { instructions: [{ type: 'move', fromElementId: 'charge', toElementId: 'review' }], reason: 'elsewhere' });
    expect(moved.status).toBe(200);

    // when
    await stale.locator('[data-testid="modify-to"]').selectOption('end');
    await stale.locator('[data-testid="modify-reason"]').fill('skip it');
    await stale.getByRole('button', { name: 'Move token' }).click();

    // then
    const error = stale.getByRole('alert').filter({ hasText: 'instructions[0]' });
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain("No token is at element 'charge'");
    await screenshot(stale, 'operations-modify-refused');
    await stale.close();
  });

  it('refuses a migration that leaves an active element unmapped, naming it', async () => {
    // given: v1 waiting at Charge; v2 has no element 'charge', so nothing is prefilled
    const id = await startV1();
    await page.goto(`${t.weft.url}/operations?instance=${id}`);
    await page.locator('select[data-map-from="charge"]').waitFor();
    await expect(page.locator('select[data-map-from="charge"]').inputValue()).resolves.toBe('');

    // when
    await page.getByRole('button', { name: 'Dry run' }).click();

    // then
    await page.locator('[data-testid="migrate-error"]:not([hidden])').waitFor();
    await expect(page.locator('[data-testid="migrate-error"]').textContent()).resolves.toMatch(/'charge' has no mapping/);
    await expect(page.getByRole('button', { name: 'Migrate', exact: true }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'operations-migration-refused');
  });

  it('dry-runs a migration, shows each element and its wait, then migrates to v2', async () => {
    // given
    const id = await startV1();
    await page.goto(`${t.weft.url}/operations?instance=${id}`);
    await page.locator('select[data-map-from="charge"]').waitFor();
    await expect(page.locator('[data-testid="migrate-target"]').inputValue()).resolves.toBe(v2);

    // when: Charge is mapped to Charge card, dry-run, then applied
    await page.locator('select[data-map-from="charge"]').selectOption('chargeCard');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('[data-testid="migrate-plan"] li', { hasText: 'charge → chargeCard' }).waitFor();
    await expect(page.locator('[data-testid="migrate-plan"]').textContent()).resolves.toContain('wait kept');
    expect((await state(id)).version).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'operations-migration-dry-run');
    await page.getByRole('button', { name: 'Migrate', exact: true }).click();

    // then: the detail shows version 2 with the token at Charge card
    await page.locator('.detail-head small', { hasText: 'v2' }).waitFor();
    await page.locator('.weft-token[data-element="chargeCard"]').waitFor();
    await page.locator('[data-testid="modify-status"]', { hasText: 'Migrated to v2' }).waitFor();
    expect((await state(id)).version).toBe(2);
    await screenshot(page, 'operations-migrated');
  });
});
