/**
 * The modeler says, with the deploy result, what was deployed but will not
 * work as it stands: an agent task whose agent's model is not configured on
 * this server (issue #12), on the shipped ticket triage example. Screenshot: test/artifacts/modeler-deploy-warning.png.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { openModelerPage } from '../support/modeler-page.js';
import { defaultConnections } from '../../engine/connections/load-connections.js';

const KEY_VAR = 'WEFT_TEST_MODELER_WARNING_KEY';
const read = (path: string) => readFileSync(new URL(`../../processes/${path}`, import.meta.url), 'utf8');

describe('the modeler deploy result', () => {
  let t: TestWeft;
  let browser: Browser;
  let context: BrowserContext;
  let external: string[];
  let pageErrors: string[];

  beforeAll(async () => {
    delete process.env[KEY_VAR];
    const reach = { connections: { ...defaultConnections({}), openai: { kind: 'openai' as const, credentials: { apiKey: `{{env.${KEY_VAR}}}` } } }, inline: { mcpCommands: false, mcpUrls: false } };
    t = await startTestWeft({ features: false }, { config: { reach } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
  afterEach(async () => {
    await context?.close();
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function openModeler(): Promise<Page> {
    const opened = await openModelerPage(browser, t.weft.url!, t.config.adminToken!);
    ({ context, external, pageErrors } = opened);
    return opened.page;
  }

  it('deploys an agent task whose model is not configured and says which element and which setting', async () => {
    // given the shipped ticket triage example with its agent definition attached, on a server whose openai connection lacks its key
    const page = await openModeler();
    await page.evaluate((xml) => window.weftModeler.importXML(xml), read('it-ticket-triage.bpmn'));
    await page.setInputFiles('input[data-action=attach]', { name: 'ticket-triage.agent.json', mimeType: 'application/json', buffer: Buffer.from(read('agents/ticket-triage.agent.json')) });
    await expect.poll(() => page.locator('[data-testid=attachments] .attachment').allInnerTexts()).toEqual([expect.stringContaining('ticket-triage.agent.json')]);

    // when
    await page.click('button[data-action=deploy]');

    // then it is deployed, and the result names the element and the setting
    const status = page.locator('[data-testid=status]');
    await expect.poll(() => status.textContent()).toMatch(/^Deployed it-ticket-triage version 1 with 1 agents\. 1 warning\(s\): triage: Agent 'ticket-triage' asks for model gpt-4o-mini through connection 'openai'/);
    await expect(status.textContent()).resolves.toContain(`needs the environment variable ${KEY_VAR}`);
    await screenshot(page, 'modeler-deploy-warning');
    const agents = await t.api.get('/api/agents');
    expect(agents.body.items).toEqual([expect.objectContaining({ name: 'ticket-triage', version: 1 })]);
  });
});
