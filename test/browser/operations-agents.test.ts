/**
 * Operators see an instance's agent runs on the operations page, with the
 * transcript: messages, tool calls (a refused one stands out) and decisions.
 */
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDefinition, agentProcess, deployAgent, instanceIn, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { launchBrowser, screenshot } from '../support/browser.js';

describe('the operations page: agent runs', () => {
  let a: AgentTest;
  let browser: Browser;
  beforeAll(async () => {
    a = await startAgentTest();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await a?.stop();
  });

  it('shows the run and its transcript, with the refused tool call', async () => {
    // given a finished run that tried a tool it may not use
    a.tools.register('lookup-order', (args) => ({ orderId: args.orderId, status: 'shipped' }));
    const definition = agentDefinition({
      name: 'ops-helper',
      tools: [
        { name: 'lookupOrder', kind: 'worker', workerType: 'lookup-order', policy: 'allow' },
        { name: 'deleteOrder', kind: 'worker', workerType: 'delete-order', policy: 'deny' },
      ],
    });
    await deployAgent(a.t, definition, agentProcess({ id: 'ops-agent', agent: 'ops-helper' }), 'ops-agent');
    a.worker(
      fakeModel()
        .respondWithTools([{ name: 'deleteOrder', args: { orderId: 'o-1' }, id: 'd1' }])
        .respondWithTools([{ name: 'lookupOrder', args: { orderId: 'o-1' }, id: 'l1' }])
        .respond(new AIMessage('{"answer": "o-1 shipped", "confidence": 0.9}')),
    );
    const id = await startInstance(a.t, 'ops-agent', { request: 'where is o-1? also delete it' });
    await instanceIn(a.t, id, 'COMPLETED');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.addInitScript((token) => sessionStorage.setItem('weft.apiToken', token), a.t.config.adminToken!);

    // when
    await page.goto(`${a.t.weft.url}/operations?instance=${id}`);
    await page.locator('[data-testid="agent-runs"] summary').click();

    // then
    await expect.poll(() => page.locator('[data-testid="agent-runs"] summary').textContent()).toMatch(/ops-helper.*v1.*COMPLETED/s);
    await page.locator('.tool-calls tr.refused').waitFor();
    await expect(page.locator('.tool-calls tr.refused td').first().textContent()).resolves.toBe('deleteOrder');
    await expect(page.locator('.decisions').textContent()).resolves.toContain('tool-refused');
    await expect(page.locator('.messages .msg-assistant').count()).resolves.toBe(3);
    await screenshot(page, 'operations-agent-transcript');

    // and when the page refreshes the instance (its live stream reconnects after the tab was hidden and shown)
    await page.locator('[data-testid="agent-runs"]').evaluate((el) => el.setAttribute('data-before-refresh', ''));
    await page.evaluate(() => {
      const setHidden = (value: boolean) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      };
      setHidden(true);
      setHidden(false);
    });
    // then the sections were drawn anew, and the transcript the operator opened is still open
    await page.locator('[data-testid="agent-runs"]:not([data-before-refresh])').waitFor();
    await page.locator('.tool-calls tr.refused').waitFor();
    await expect(page.locator('[data-testid="agent-runs"] details[data-run]').evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(true);
  });
});
