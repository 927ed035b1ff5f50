/**
 * The inbox in real headless Chromium: sign in, see a task arrive without a
 * reload, open it, submit a form the server's rules refuse and see why, fix
 * it and complete; the process moves on; sign out; another person never sees
 * the task.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';
import { addUser, fixture } from '../fixtures/people/client.js';
import { HumanReview } from '../../connectors/agents/human-review.js';

describe('the inbox page', () => {
  let t: TestWeft;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
    await addUser(t.api, 'alice', 'user', ['finance']);
    await addUser(t.api, 'carol', 'user', ['sales']);
    await addUser(t.api, 'archivist', 'user');
    const deployed = await t.api.deploy([
      { name: 'invoice-approval.bpmn', xml: fixture('invoice-approval.bpmn') },
      { name: 'invoice-approval.form', xml: fixture('invoice-approval.form') },
    ]);
    expect(deployed.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function signIn(page: Page, name: string): Promise<void> {
    await page.goto(`${t.weft.url}/inbox?poll=500`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(`${name}-password`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/inbox/);
    await expect.poll(() => page.getByTestId('who').textContent()).toContain(name);
  }

  it('says so when the password is wrong, without saying which part', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.weft.url}/sign-in`);
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toBe('Wrong user name or password');
    await page.close();
  });

  it('takes a task from arrival to completion, and the process moves on', async () => {
    // given: alice is signed in and looking at the claimable tasks
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external = forbidExternalRequests(page, t.weft.url!);
    await signIn(page, 'alice');
    await page.getByTestId('tab-claimable').click();
    await expect.poll(() => page.getByTestId('list-status').textContent()).toMatch(/Nothing to claim/);

    // when a task arrives, it shows up without a reload
    const started = await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2020-01-01T00:00:00Z', priority: 90, supplier: 'ACME', decision: 'approve' } });
    expect(started.status).toBe(201);
    const item = page.getByTestId('task-item').filter({ hasText: 'Approve the invoice' });
    await item.waitFor({ timeout: 10_000 });
    await expect.poll(() => item.getAttribute('class')).toContain('overdue');

    // open it, claim it
    await item.click();
    await page.getByTestId('claim').click();
    await expect.poll(() => page.getByTestId('assignee').textContent()).toBe('Claimed by you');
    await page.locator('.task-diagram .weft-current-task').waitFor();
    await expect.poll(() => page.getByTestId('history').textContent()).toContain('task claimed');

    // the form is prefilled from the variables
    const form = page.getByTestId('form');
    await expect.poll(() => form.getByLabel('Supplier').inputValue()).toBe('ACME');

    // a value the form's rules refuse: the message appears, nothing is completed
    await form.getByLabel('Amount').fill('20000');
    await page.getByTestId('complete').click();
    await page.getByText('Field must have maximum value of 10000.').waitFor();
    await screenshot(page, 'inbox-task-form');
    expect((await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=COMPLETED`)).body.items).toEqual([]);

    // fix it and complete
    await form.getByLabel('Amount').fill('250');
    await page.getByTestId('complete').click();
    await page.getByTestId('completed').waitFor();

    // the process moved on to the archive task, with alice's data
    const next = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    expect(next.elementId).toBe('archive');
    const instance = (await t.api.get(`/api/process-instances/${started.body.id}`)).body;
    expect(instance.variables).toMatchObject({ supplier: 'ACME', amount: 250, decision: 'approve' });
    expect(external).toEqual([]);

    // sign out: the inbox is closed to this browser now
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${t.weft.url}/inbox`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.close();
  });

  it('opens a task from a link and shows it claimed, beside the list', async () => {
    // given a task, opened from a link
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'alice');
    const started = await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2031-01-01T00:00:00Z', priority: 40 } });
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    await page.goto(`${t.weft.url}/inbox?poll=500#task=${task.id}`);
    await page.getByTestId('claim').click();
    await page.getByTestId('unclaim').waitFor();
    await page.locator('.task-diagram .weft-current-task').waitFor();
    await expect.poll(() => page.getByTestId('tab-mine').textContent()).toMatch(/My tasks\s*1/);
    await screenshot(page, 'inbox');
    await page.close();
  });

  it('keeps one person\'s task from another', async () => {
    // given a task for finance, claimed by alice
    const started = await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2031-01-01T00:00:00Z', priority: 50 } });
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    await t.api.post(`/api/tasks/${task.id}/claim`, { assignee: 'alice' });

    // when carol (sales) signs in
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'carol');
    await page.getByTestId('tab-claimable').click();
    await expect.poll(() => page.getByTestId('list-status').textContent()).toMatch(/Nothing to claim/);
    await page.getByTestId('tab-mine').click();
    await expect.poll(() => page.getByTestId('list-status').textContent()).toMatch(/No tasks are assigned to you/);
    expect(await page.getByTestId('task-item').count()).toBe(0);

    // and a link to it does not open it
    await page.goto(`${t.weft.url}/inbox#task=${task.id}`);
    await page.getByTestId('detail-error').waitFor();
    await screenshot(page, 'inbox-phone-other-user');
    await page.close();
  });

  it('shows an agent\'s proposal with its confidence, reasoning and evidence; the reviewer edits and approves it', async () => {
    // given an agent asked for a review by the finance group
    const review = new HumanReview(t.weft.engine);
    const proposal = { supplier: 'ACME', total: 1200 };
    const instanceId = await review.request(
      { kind: 'output-review', agent: 'invoice-extractor', reason: 'confidence 0.42 is below 0.8', proposal, output: proposal, confidence: 0.42, reasoning: 'The total is smudged.', evidence: [{ page: 1 }] },
      { candidateGroups: ['finance'] },
    );
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${instanceId}&state=CREATED`)).body.items[0]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'alice');
    await page.goto(`${t.weft.url}/inbox?poll=500#task=${task.id}`);
    await expect.poll(() => page.getByTestId('confidence').textContent()).toBe('42%');
    await expect.poll(() => page.getByTestId('review').textContent()).toContain('The total is smudged.');

    // when
    await page.getByTestId('claim').click();
    await page.getByTestId('proposal').fill(JSON.stringify({ supplier: 'ACME', total: 1250 }));
    await page.getByTestId('comment').fill('total is 1250 on the paper copy');
    await page.locator('.task-diagram .weft-current-task').waitFor();
    await screenshot(page, 'inbox-agent-review');
    // an edit that is not an output is refused by the server, shown by field, and the task stays open
    await page.getByTestId('proposal').fill('[1250]');
    await page.getByTestId('approve').click();
    await expect.poll(() => page.getByTestId('field-errors').textContent()).toBe('output: the output must be a JSON object, got array');
    await page.getByTestId('proposal').fill(JSON.stringify({ supplier: 'ACME', total: 1250 }));
    await page.getByTestId('approve').click();
    await page.getByTestId('completed').waitFor();

    // then the agent gets the edited output
    await expect(review.decision(instanceId)).resolves.toEqual({ approved: true, output: { supplier: 'ACME', total: 1250 }, comment: 'total is 1250 on the paper copy' });
    await page.close();
  });

  it('completes a task without a form with typed output variables; the instance ends', async () => {
    // given the archive task (no form), reached by an approved invoice
    const started = await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2031-01-01T00:00:00Z', priority: 50, supplier: 'ACME' } });
    const approve = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    await t.api.post(`/api/tasks/${approve.id}/claim`, { assignee: 'alice' });
    expect((await t.api.post(`/api/tasks/${approve.id}/complete`, { variables: { amount: 10, decision: 'approve' } })).status).toBe(200);
    const archive = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);

    // when the archivist opens it, claims it and fills in the output
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'archivist');
    await page.goto(`${t.weft.url}/inbox?poll=500#task=${archive.id}`);
    await expect.poll(() => page.getByTestId('inputs').textContent()).toContain('ACME');
    await page.getByTestId('claim').click();
    await page.getByTestId('output-name').fill('shelf');
    await page.getByTestId('output-type').selectOption('number');
    await page.getByTestId('output-value').fill('12');
    await page.getByTestId('add-variable').click();
    await page.getByTestId('output-name').nth(1).fill('archived');
    await page.getByTestId('output-type').nth(1).selectOption('boolean');
    await screenshot(page, 'inbox-output-editor');
    await page.getByTestId('complete').click();
    await page.getByTestId('completed').waitFor();

    // then
    const instance = await eventually(async () => {
      const body = (await t.api.get(`/api/process-instances/${started.body.id}`)).body;
      return body.state === 'COMPLETED' && body;
    });
    expect(instance.variables).toMatchObject({ shelf: 12, archived: true });
    await page.close();
  });

  it('can be worked by keyboard: / searches, j opens the next task, claim with Enter', async () => {
    // given
    const started = await t.api.post('/api/process-instances', { processId: 'invoice-approval', variables: { due: '2031-01-01T00:00:00Z', priority: 99 } });
    const task = await eventually(async () => (await t.api.get(`/api/tasks?processInstanceId=${started.body.id}&state=CREATED`)).body.items[0]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'alice');
    await page.getByTestId('tab-mine').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('tab-claimable').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('task-item').first().waitFor({ timeout: 5000 });

    // when
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search');
    await page.keyboard.type('approve');
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await expect.poll(() => page.getByTestId('task').getAttribute('data-task-id')).toBe(task.id); // priority 99 sorts first
    await page.getByTestId('claim').focus({ timeout: 5000 });
    await page.keyboard.press('Enter');

    // then
    await expect.poll(() => page.getByTestId('assignee').textContent()).toBe('Claimed by you');
    await page.close();
  });
});
