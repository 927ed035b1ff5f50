/**
 * The queue board (bull-board at /admin/queues) in real headless Chromium:
 * an administrator signed in sees Weft's BullMQ queues of this engine's
 * prefix, under the app's Content-Security-Policy (the browser guards fail
 * the test on any violation) and with nothing fetched from outside; a plain
 * user gets 403.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';
import { addUser } from '../fixtures/people/client.js';

const twoJobs = readFileSync(new URL('../fixtures/integration/two-jobs.bpmn', import.meta.url), 'utf8');

describe('the queue board', () => {
  let t: TestWeft;
  let browser: Browser;
  const jobType = `board-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    t = await startTestWeft();
    browser = await launchBrowser();
    await addUser(t.api, 'root', 'admin');
    await addUser(t.api, 'ulla', 'user');
    await addUser(t.api, 'opal', 'operator');
    expect((await t.api.deploy([{ name: 'two-jobs.bpmn', xml: twoJobs }])).status).toBe(201);
    // Two jobs no worker takes: their messages wait in the type's queue.
    for (let i = 0; i < 2; i++) expect((await t.api.post('/api/process-instances', { processId: 'two-jobs', variables: { jobType } })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function signIn(page: Page, name: string): Promise<void> {
    await page.goto(`${t.weft.url}/sign-in`);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(`${name}-password`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }

  it("shows an administrator the engine's queues and their waiting messages", async () => {
    // given
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external = forbidExternalRequests(page, t.weft.url!);
    await signIn(page, 'root');

    // when
    const res = await page.goto(`${t.weft.url}/admin/queues`);

    // then
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe(`Weft queues (${t.config.queuePrefix})`);
    await page.getByText(`job.${jobType}`, { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.getByText('human-task').first().waitFor();
    await screenshot(page, 'queue-board-admin');
    // the queue's page lists its two waiting messages, each carrying a job key only
    await page.goto(`${t.weft.url}/admin/queues/queue/job.${jobType}?status=waiting`);
    await expect.poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 15_000 }).toContain('jobKey');
    await screenshot(page, 'queue-board-queue');
    expect(external).toEqual([]);
    await page.close();
  });

  it('answers 403 to a plain user and to an operator, and 401 without signing in', async () => {
    for (const name of ['ulla', 'opal']) {
      const page = await browser.newPage();
      await signIn(page, name);
      const res = await page.goto(`${t.weft.url}/admin/queues`);
      expect(res?.status(), name).toBe(403);
      expect(await page.locator('body').textContent()).toContain('admin role');
      if (name === 'ulla') await screenshot(page, 'queue-board-user-403');
      await page.close();
    }
    const api = await fetch(`${t.weft.url}/admin/queues/api/queues`);
    expect(api.status).toBe(401);
  });

  it('sends a browser that is not signed in to the sign-in page, and back to the board after it', async () => {
    // given a browser with no session
    const page = await browser.newPage();
    // when it opens the board
    await page.goto(`${t.weft.url}/admin/queues`);
    // then it is at the sign-in page, which will come back here
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/queues');
    await page.close();
  });

  it('takes the admin token as a bearer credential, and is read-only', async () => {
    const auth = { authorization: `Bearer ${t.config.adminToken}` };
    const queues = await fetch(`${t.weft.url}/admin/queues/api/queues?activeQueue=job.${jobType}&status=waiting`, { headers: auth });
    expect(queues.status).toBe(200);
    const body = await queues.json();
    const queue = body.queues.find((q: any) => q.name === `job.${jobType}`);
    expect(queue.readOnlyMode).toBe(true);
    expect(queue.counts.waiting).toBe(2);
    // a message's data is the job key and nothing else
    for (const job of queue.jobs) expect(Object.keys(job.data)).toEqual(['jobKey']);
    // and nothing can be done to a message here
    const clean = await fetch(`${t.weft.url}/admin/queues/api/queues/job.${jobType}/clean/waiting`, { method: 'PUT', headers: auth });
    expect(clean.status).toBeGreaterThanOrEqual(400);
    expect((await (await fetch(`${t.weft.url}/admin/queues/api/queues`, { headers: auth })).json()).queues.find((q: any) => q.name === `job.${jobType}`).counts.waiting).toBe(2);
  });
});
