/**
 * The modeler's template chooser offers the built-in connectors, and
 * applying the HTTP connector's template makes a task the connector runs.
 */
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { buildModelerPage, openModelerPage } from '../support/modeler-page.js';

describe('connector templates in the modeler', () => {
  let t: TestWeft;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let pagesDir: string;

  beforeAll(async () => {
    pagesDir = await buildModelerPage('weft-modeler-connectors-');
    t = await startTestWeft({ pagesDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await context?.close();
  });

  it('offers the HTTP connector in the template chooser and applies it with its form', async () => {
    // given a task on a new diagram
    const opened = await openModelerPage(browser, t.weft.url!, t.config.adminToken!);
    context = opened.context;
    const page = opened.page;
    await page.click('button[data-action=new]');
    await page.evaluate(() => {
      const modeling = window.weftModeler.get<any>('modeling');
      const task = modeling.appendShape(window.weftModeler.get<any>('elementRegistry').get('StartEvent_1'), { type: 'bpmn:Task' }, { x: 330, y: 178 });
      modeling.updateProperties(task, { id: 'CallApi' });
    });
    await page.click('[data-element-id=CallApi] .djs-hit');

    // when the chooser opens
    await page.click('button[data-action=template]');

    // then it offers every built-in connector for a task: HTTP, MCP and A2A
    const entry = page.locator('.djs-popup-body [data-id="apply-template-io.weft.connectors.http"]');
    await entry.waitFor();
    expect(await entry.innerText()).toMatch(/HTTP request/);
    expect(await page.locator('.djs-popup-body [data-id="apply-template-io.weft.connectors.mcp"]').innerText()).toMatch(/MCP tool/);
    expect(await page.locator('.djs-popup-body [data-id="apply-template-io.weft.connectors.a2a"]').innerText()).toMatch(/A2A agent/);
    await screenshot(page, 'modeler-connector-chooser');

    // when it is applied
    await entry.click();

    // then the task is an HTTP connector task with the template's defaults, and the form asks for the URL
    const xml = await page.evaluate(async () => (await window.weftModeler.saveXML()).xml!);
    expect(xml).toMatch(/<bpmn:serviceTask id="CallApi"[^>]*zeebe:modelerTemplate="io.weft.connectors.http"/);
    expect(xml).toMatch(/<zeebe:taskDefinition type="http" retries="3"/);
    expect(xml).toMatch(/<zeebe:input source="noAuth" target="authentication.type"/);
    expect(xml).toMatch(/<zeebe:input source="GET" target="method"/);
    await page.locator('#properties .bio-properties-panel-group-header', { hasText: 'HTTP endpoint' }).click();
    await page.getByLabel('URL', { exact: true }).fill('https://api.example/orders');
    await expect.poll(async () => page.evaluate(async () => (await window.weftModeler.saveXML()).xml!)).toMatch(/<zeebe:input source="https:\/\/api.example\/orders" target="url"/);
    expect(opened.pageErrors).toEqual([]);
  });

  it('offers the webhook start event for a start event and applies its bindings', async () => {
    // given the start event of a new diagram
    const opened = await openModelerPage(browser, t.weft.url!, t.config.adminToken!);
    context = opened.context;
    const page = opened.page;
    await page.click('button[data-action=new]');
    await page.click('[data-element-id=StartEvent_1] .djs-hit');

    // when the chooser opens and the webhook start event is applied
    await page.click('button[data-action=template]');
    const entry = page.locator('.djs-popup-body [data-id="apply-template-io.weft.webhook.start"]');
    await entry.waitFor();
    expect(await entry.innerText()).toMatch(/Webhook start event/);
    await entry.click();

    // then the start event carries the inbound webhook properties Camunda's template writes
    const xml = await page.evaluate(async () => (await window.weftModeler.saveXML()).xml!);
    expect(xml).toMatch(/zeebe:modelerTemplate="io.weft.webhook.start"/);
    expect(xml).toMatch(/<zeebe:property name="inbound.type" value="io.camunda:webhook:1"/);
    expect(opened.pageErrors).toEqual([]);
  });
});
