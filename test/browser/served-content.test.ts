/**
 * Stored content never runs on Weft's origin: a signed-in person who opens a
 * deployed diagram's XML (a link, a bookmark, an attacker's page) gets a
 * download, not a document in which an XHTML <script> from the diagram runs
 * with their session.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser } from '../support/browser.js';
import { xssProbeBpmn } from '../fixtures/xss-probe.js';

describe('a deployed diagram opened in the browser', () => {
  let t: TestWeft;
  let browser: Browser;
  let collector: Server;
  let collectorUrl: string;
  const stolen: string[] = [];

  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        stolen.push(`${req.method} ${req.url} ${body}`);
        res.end();
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    t = await startTestWeft();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    collector?.close();
  });

  it('is downloaded, and the script in its extensionElements does not run with the session', async () => {
    // given a diagram with an XHTML script, and a signed-in person
    const deployed = await t.api.deploy([{ name: 'xss-probe.bpmn', xml: xssProbeBpmn('xss-probe', collectorUrl) }]);
    expect(deployed.status).toBe(201);
    const key = deployed.body.processes[0].key as string;
    expect((await t.api.post('/api/users', { name: 'mallory-victim', role: 'modeler', password: 'correct-horse-9' })).status).toBe(201);
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    expect((await page.request.post(`${t.weft.url}/auth/sign-in`, { data: { username: 'mallory-victim', password: 'correct-horse-9' } })).status()).toBe(200);

    // when the person opens the XML's address
    const download = page.waitForEvent('download', { timeout: 5_000 }).catch(() => null);
    await page.goto(`${t.weft.url}/api/process-definitions/${key}/xml`).catch(() => undefined); // a download aborts the navigation
    const file = await download;

    // then it is a download of the diagram, named by its key, and nothing ran
    const ran = await page.evaluate(() => (window as unknown as { __weftXss?: boolean }).__weftXss === true).catch(() => false);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for the exfiltration request, had the script run
    expect({ ran, stolen }).toEqual({ ran: false, stolen: [] });
    expect(file?.suggestedFilename()).toBe(`${key}.bpmn`);
    await context.close();
  });
});
