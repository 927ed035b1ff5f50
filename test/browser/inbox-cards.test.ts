/**
 * The inbox as a new user meets it (issue #12), in real headless Chromium:
 * cards that tell orders apart (process name, creation time, the values the
 * process chose), search by a business value, the tab that has work opens
 * first, the completed view, the phone's own task view with a way back, the
 * admin token and a personal token instead of a password, form-js's
 * watermark as its licence requires, and no serious accessibility violation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';
import { addUser, fixture } from '../fixtures/people/client.js';

describe('the inbox: cards, search, tabs, completed, phone, tokens', () => {
  let t: TestWeft;
  let browser: Browser;

  /** Starts an order for the finance group; returns its open task. */
  async function startOrder(orderNumber: string, customer = 'Globex') {
    const started = await t.api.post('/api/process-instances', {
      processId: 'Process_6t33aa',
      variables: { orderNumber, customer, total: 420, creditCard: '4111-1111-1111-1111' },
    });
    expect(started.status).toBe(201);
    return eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
  }

  async function signIn(page: Page, name: string): Promise<void> {
    await page.goto(`${t.weft.url}/inbox?poll=500`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(`${name}-password`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/inbox/);
    await expect.poll(() => page.getByTestId('who').textContent()).toContain(name);
  }

  const card = (page: Page, orderNumber: string) => page.getByTestId('task-item').filter({ hasText: orderNumber });

  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
    // dora works the phone tests, erin the tab tests, frank the completed view: each starts with an inbox of their own
    for (const name of ['alice', 'dora', 'frank']) await addUser(t.api, name, 'user', ['finance']);
    await addUser(t.api, 'erin', 'user', ['approvers']);
    const deployed = await t.api.deploy([
      { name: 'order-approval.bpmn', xml: fixture('order-approval.bpmn') },
      { name: 'order-approval.form', xml: fixture('order-approval.form') },
    ]);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('shows each order\'s process name, creation time and values, and finds one by its order number', async () => {
    // given three orders waiting for finance
    const tasks = [await startOrder('SO-1001', 'Globex'), await startOrder('SO-2002', 'Initech'), await startOrder('SO-3003', 'Umbrella')];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external = forbidExternalRequests(page, t.weft.url!);

    // when alice opens her inbox
    await signIn(page, 'alice');

    // then each card tells its order apart
    const first = card(page, 'SO-1001');
    await first.waitFor();
    await expect(first.getByTestId('task-process').textContent()).resolves.toBe('Order approval');
    await expect(first.locator('.field-value').allTextContents()).resolves.toEqual(['SO-1001', 'Globex', '420']);
    await expect(first.locator('.field-name').allTextContents()).resolves.toEqual(['orderNumber', 'customer', 'total']);
    await expect(first.getByTestId('task-created').getAttribute('datetime')).resolves.toBe(tasks[0].createdAt);
    await expect(first.getByTestId('task-created').textContent()).resolves.toMatch(/\d/);
    await expect(card(page, 'SO-2002').locator('.field-value').allTextContents()).resolves.toEqual(['SO-2002', 'Initech', '420']);
    // a variable the process did not choose is not on the page
    expect(await page.getByTestId('task-list').innerHTML()).not.toContain('4111');
    await screenshot(page, 'inbox-cards');

    // when she searches for one order number
    await page.getByTestId('search').fill('SO-2002');

    // then only that order is listed
    await expect.poll(() => page.getByTestId('task-item').count()).toBe(1);
    await expect(page.getByTestId('task-item').first().textContent()).resolves.toContain('Initech');
    await page.getByTestId('search').fill('Umbrella');
    await expect.poll(() => page.getByTestId('task-item').allTextContents()).toEqual([expect.stringContaining('SO-3003')]);
    await page.getByTestId('search').fill('no such order');
    await expect.poll(() => page.getByTestId('list-status').textContent()).toBe('No task matches the search.');
    await screenshot(page, 'inbox-search');
    expect(external).toEqual([]);
    await page.close();
  });

  it('opens on "Claimable" when only that has work, and on "My tasks" once something is hers', async () => {
    // given an order erin is not offered yet (orders go to finance), and nothing assigned to her
    const started = await t.api.post('/api/process-instances', { processId: 'Process_6t33aa', variables: { orderNumber: 'SO-ERIN' } });
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'erin');
    // with nothing at all, "My tasks" stays open and says what to do
    await expect.poll(() => page.getByTestId('tab-mine').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('list-status').textContent()).toMatch(/No tasks are assigned to you/);

    // when work waits to be claimed by her (offered to her by name, as zeebe:assignmentDefinition candidateUsers="erin" writes it)
    await t.weft.db('tasks').where({ id: task.id }).update({ candidate_users: ['erin'] });
    await page.reload();

    // then the inbox opens where the work is, and both tabs say how much there is
    await expect.poll(() => page.getByTestId('tab-claimable').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('tab-claimable').textContent()).toMatch(/Claimable\s*1/);
    await expect.poll(() => page.getByTestId('tab-mine').textContent()).toMatch(/My tasks\s*0/);
    await card(page, 'SO-ERIN').waitFor();
    await screenshot(page, 'inbox-default-claimable');

    // when she claims it and comes back later
    await card(page, 'SO-ERIN').click();
    await page.getByTestId('claim').click();
    await expect.poll(() => page.getByTestId('assignee').textContent()).toBe('Claimed by you');
    await page.goto(`${t.weft.url}/inbox?poll=500`);

    // then "My tasks" is where she lands
    await expect.poll(() => page.getByTestId('tab-mine').textContent()).toMatch(/My tasks\s*1/);
    expect(await page.getByTestId('tab-mine').getAttribute('aria-selected')).toBe('true');
    await card(page, 'SO-ERIN').waitFor();
    await page.close();
  });

  it('lists the tasks she completed, newest first, in "Completed"', async () => {
    // given frank completes two orders in the inbox
    const orders = ['SO-F1', 'SO-F2'];
    for (const n of orders) await startOrder(n);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'frank');
    for (const n of orders) {
      // (a claim moves the inbox to "My tasks"; the next order waits under "Claimable")
      await page.getByTestId('tab-claimable').click();
      await card(page, n).click();
      await page.getByTestId('claim').click();
      await page.getByTestId('form').getByLabel('Approve', { exact: true }).check();
      await page.getByTestId('complete').click();
      await page.getByTestId('completed').waitFor();
    }

    // when he opens "Completed"
    await page.getByTestId('tab-completed').click();

    // then both are there, the last one first, with when they were completed
    await expect.poll(() => page.getByTestId('task-item').count()).toBe(2);
    const items = page.getByTestId('task-item');
    await expect(items.nth(0).textContent()).resolves.toContain('SO-F2');
    await expect(items.nth(1).textContent()).resolves.toContain('SO-F1');
    await expect(items.nth(0).getByTestId('task-completed').textContent()).resolves.toMatch(/\d/);
    await expect(page.getByTestId('list-status').textContent()).resolves.toBe('2 completed by you, newest first.');
    expect(await page.getByTestId('filters').isHidden()).toBe(true);
    await screenshot(page, 'inbox-completed');

    // and a completed task opens read-only
    await items.nth(0).click();
    await expect.poll(() => page.getByTestId('assignee').textContent()).toBe('Claimed by you');
    expect(await page.getByTestId('complete').count()).toBe(0);

    // nobody else's completions are listed: alice completed none
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(other, 'alice');
    await other.getByTestId('tab-completed').click();
    await expect.poll(() => other.getByTestId('list-status').textContent()).toBe('You have not completed any task yet.');
    expect(await other.getByTestId('task-item').count()).toBe(0);
    await other.close();
    await page.close();
  });

  it('on a phone, opens a task as its own view, with a way back and the browser\'s back', async () => {
    // given dora's inbox on a phone
    await startOrder('SO-PHONE');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'dora');
    const item = card(page, 'SO-PHONE');
    await item.waitFor();
    expect(await page.getByTestId('task-detail').isVisible()).toBe(false);
    await screenshot(page, 'inbox-phone-list');

    // when she opens the task
    await item.click();

    // then the task fills the screen, the list is gone, and a way back is shown
    await page.getByTestId('task').waitFor();
    await expect.poll(() => page.locator('.inbox-list').isVisible()).toBe(false);
    const back = page.getByTestId('back-to-list');
    expect(await back.isVisible()).toBe(true);
    const box = await page.getByTestId('task').boundingBox();
    expect(box!.y).toBeLessThan(844);
    expect(box!.width).toBeGreaterThan(300);
    await screenshot(page, 'inbox-phone-task');

    // when she taps the way back
    await back.click();
    // then she is at the list again, on the card she came from
    await expect.poll(() => page.locator('.inbox-list').isVisible()).toBe(true);
    expect(await page.getByTestId('task-detail').isVisible()).toBe(false);
    expect(page.url()).not.toContain('#task=');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('SO-PHONE');

    // when she opens it again and uses the browser's back
    await item.click();
    await page.getByTestId('task').waitFor();
    await page.goBack();
    // then the list is back, and forward opens the task again
    await expect.poll(() => page.locator('.inbox-list').isVisible()).toBe(true);
    expect(page.url()).not.toContain('#task=');
    await page.goForward();
    await expect.poll(() => page.getByTestId('task').isVisible()).toBe(true);
    expect(await page.locator('.inbox-list').isVisible()).toBe(false);
    await page.close();
  });

  it('keeps list and task side by side on a desktop', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'dora');
    await card(page, 'SO-PHONE').click();
    await page.getByTestId('task').waitFor();
    const list = (await page.locator('.inbox-list').boundingBox())!;
    const detail = (await page.locator('.inbox-detail').boundingBox())!;
    expect(detail.x).toBeGreaterThan(list.x + list.width - 1);
    expect(Math.abs(detail.y - list.y)).toBeLessThan(5);
    expect(await page.getByTestId('back-to-list').isVisible()).toBe(false);
    await page.close();
  });

  it('works with the admin token pasted on the sign-in page, and with a personal token kept in the tab', async () => {
    // given an order, and a browser with no session
    await startOrder('SO-ADMIN');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${t.weft.url}/inbox?poll=500`);
    await page.waitForURL(/\/sign-in\?next=/);

    // a wrong token is refused where it was typed
    await page.getByText('Use an API token instead').click();
    await page.getByLabel('API token').fill('weft_not-a-token');
    await page.getByRole('button', { name: 'Continue with the token' }).click();
    await expect.poll(() => page.getByTestId('token-error').textContent()).toMatch(/refused/);

    // when the admin token is pasted
    await page.getByLabel('API token').fill(t.config.adminToken!);
    await page.getByRole('button', { name: 'Continue with the token' }).click();

    // then the inbox opens with it — not the sign-in page — and the admin can claim and complete
    await page.waitForURL(/\/inbox/);
    await expect.poll(() => page.getByTestId('who').textContent()).toBe('admin (API token)');
    await card(page, 'SO-ADMIN').click();
    await page.getByTestId('claim').click();
    await expect.poll(() => page.getByTestId('assignee').textContent()).toBe('Claimed by you');
    await page.getByTestId('form').getByLabel('Approve', { exact: true }).check();
    await page.getByTestId('complete').click();
    await page.getByTestId('completed').waitFor();
    expect(page.url()).toContain('/inbox');
    await screenshot(page, 'inbox-admin-token');
    // the token is in this tab's sessionStorage only
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // signing out forgets it
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    expect(await page.evaluate(() => sessionStorage.getItem('weft.apiToken'))).toBeNull();
    await context.close();

    // a personal token kept for the tab by another page (as the modeler keeps one) works too
    const token = (await t.api.post('/api/tokens', { user: 'alice', name: 'inbox test' })).body.token;
    const tokenContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await tokenContext.addInitScript((value) => sessionStorage.getItem('weft.apiToken') || sessionStorage.setItem('weft.apiToken', value), token);
    const withToken = await tokenContext.newPage();
    await withToken.goto(`${t.weft.url}/inbox?poll=500`);
    await expect.poll(() => withToken.getByTestId('who').textContent()).toContain('alice');
    expect(withToken.url()).toContain('/inbox');
    await card(withToken, 'SO-1001').waitFor();
    await tokenContext.close();
  });

  it('keeps form-js\'s bpmn.io watermark fully visible in a task\'s form, as form-js\'s licence requires', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'alice');
    await card(page, 'SO-1001').click();
    const mark = page.getByTestId('form').locator('.fjs-powered-by-link');
    await mark.waitFor();
    // visible, and the topmost element at its centre (nothing covers it)
    const covered = await mark.evaluate((link) => {
      const r = link.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return r.width > 0 && r.height > 0 && top !== null && link.contains(top);
    });
    expect(covered).toBe(true);
    await page.close();
  });

  it('has no serious accessibility violation on the sign-in page and the inbox, list and task', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.weft.url}/sign-in`);
    await page.getByLabel('User name').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByText('Use an API token instead').click();
    expect(await seriousViolations(page)).toEqual([]);

    await signIn(page, 'alice');
    await card(page, 'SO-1001').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await card(page, 'SO-1001').click();
    await page.getByTestId('form').locator('.fjs-form').waitFor();
    await page.locator('.task-diagram .weft-current-task').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('tab-completed').click();
    await expect.poll(() => page.getByTestId('list-status').textContent()).toMatch(/completed/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone, 'alice');
    await card(phone, 'SO-1001').click();
    await phone.getByTestId('task').waitFor();
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.close();
  });
});
