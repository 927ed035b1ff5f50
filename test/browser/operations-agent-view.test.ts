/**
 * The Agents view of the operations page (issue #12): the runs in flight
 * with what each is doing now, tokens, cost and limits; the kill switches.
 */
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDefinition, agentProcess, agentRequestTask, deployAgent, eventually, instanceIn, startAgentTest, startInstance, type AgentTest } from '../fixtures/agents/agent-harness.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { seriousViolations } from '../support/accessibility.js';
import { addUser } from '../fixtures/people/client.js';

const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, total_tokens: input + output });

describe('the operations page: the Agents view', () => {
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

  it('shows a run waiting for a person and a finished one with its tokens and cost; its kill switch disables an agent and holds its next run', async () => {
    // given a finished run (known usage and pricing) and a run whose low-confidence output waits for review
    const pricing = { inputPerMTok: 2, outputPerMTok: 10 };
    await deployAgent(a.t, agentDefinition({ name: 'view-done', model: { provider: 'openai', model: 'gpt-test', temperature: 0, pricing }, limits: { maxModelCalls: 3, maxTokens: 4000 } }), agentProcess({ id: 'view-done', agent: 'view-done' }), 'view-done');
    await deployAgent(a.t, agentDefinition({ name: 'view-review', confidence: { field: 'confidence', threshold: 0.9 } }), agentProcess({ id: 'view-review', agent: 'view-review' }), 'view-review');
    await deployAgent(a.t, agentDefinition({ name: 'view-held' }), agentProcess({ id: 'view-held', agent: 'view-held' }), 'view-held');
    const models = {
      'view-done': fakeModel().respond(new AIMessage({ content: '{"answer": "done"}', usage_metadata: usage(1000, 200) })),
      'view-review': fakeModel().respond(new AIMessage({ content: '{"answer": "unsure", "confidence": 0.2}', usage_metadata: usage(40, 8) })),
      'view-held': fakeModel().respond(new AIMessage('{"answer": "held"}')),
    } as Record<string, ReturnType<typeof fakeModel>>;
    a.worker((name) => models[name], { waitBackoffMs: 60_000 });
    const done = await startInstance(a.t, 'view-done', { request: 'x' });
    await instanceIn(a.t, done, 'COMPLETED');
    const waiting = await startInstance(a.t, 'view-review', { request: 'y' });
    await agentRequestTask(a.t, waiting, 'output-review');

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.addInitScript((token) => sessionStorage.setItem('weft.apiToken', token), a.t.config.adminToken!);
    page.on('dialog', (dialog) => void dialog.accept());

    // when
    await page.goto(`${a.t.weft.url}/operations?view=agents`);

    // then: the run in flight says it waits for a person, and links to its instance
    const waitingRow = page.locator('[data-run-row]', { has: page.locator(`a[href="/operations?instance=${waiting}"]`) });
    await expect.poll(() => waitingRow.locator('[data-testid="activity"]').textContent()).toContain('waiting for a person');
    await expect(waitingRow.locator('a', { hasText: 'review task' }).count()).resolves.toBe(1);
    await expect(page.locator(`[data-run-row] a[href="/operations?instance=${done}"]`).count()).resolves.toBe(0);
    // its transcript opens in place
    await waitingRow.locator('[data-agent-action="transcript"]').click();
    await expect.poll(() => page.locator('[data-testid="transcript"]').textContent()).toContain('unsure');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await screenshot(page, 'operations-agent-view');

    // when the ended runs are shown
    await page.locator('[data-testid="agent-state-filter"]').selectOption('ended');
    const doneRow = page.locator('[data-run-row]', { has: page.locator(`a[href="/operations?instance=${done}"]`) });
    // then the finished run is done, with its tokens, cost and limits used
    await expect.poll(() => doneRow.locator('[data-testid="activity"]').textContent()).toBe('done');
    await expect(doneRow.locator('[data-testid="tokens"]').textContent()).resolves.toContain('1000 in / 200 out');
    await expect(doneRow.locator('[data-testid="cost"]').textContent()).resolves.toBe('$0.0040');
    await expect(doneRow.locator('meter[aria-label="tokens: 1200 / 4000"]').count()).resolves.toBe(1);
    await expect(doneRow.locator('meter[aria-label="model calls: 1 / 3"]').count()).resolves.toBe(1);
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await screenshot(page, 'operations-agent-view-ended');

    // when the operator switches view-held off on the page
    await page.locator('[data-agent="view-held"] [data-agent-action="disable"]').click();

    // then the API says so, the page shows it, and a new run is held
    await eventually(async () => (await a.t.api.get('/api/agents')).body.items.find((d: any) => d.name === 'view-held').disabled === true);
    await expect.poll(() => page.locator('[data-agent="view-held"] [data-testid="switch-state"]').textContent()).toBe('off');
    await page.locator('[data-testid="agent-state-filter"]').selectOption('in-flight');
    const held = await startInstance(a.t, 'view-held', { request: 'z' });
    const heldRow = page.locator('[data-run-row]', { has: page.locator(`a[href="/operations?instance=${held}"]`) });
    await expect.poll(() => heldRow.locator('[data-testid="activity"]').textContent(), { timeout: 15_000 }).toContain('stopped by the kill switch');
    expect(models['view-held'].callCount ?? 0).toBe(0);

    // and "Stop all agents" throws the global switch
    await page.locator('[data-agent-action="disable-all"]').click();
    await expect.poll(() => page.locator('[data-testid="all-switch-state"]').textContent()).toContain('All agents are stopped');
    expect((await a.t.api.get('/api/agents')).body.allDisabled).toBe(true);
    await screenshot(page, 'operations-agent-view-switched-off');
  });

  it('shows a plain user and a modeler nothing they could operate', async () => {
    for (const [name, role] of [['view-plain', 'user'], ['view-modeler', 'modeler']] as const) {
      // given
      await addUser(a.t.api, name, role);
      const token = (await a.t.api.post('/api/tokens', { user: name, name: 'browser' })).body.token as string;
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript((value) => sessionStorage.setItem('weft.apiToken', value), token);

      // when
      await page.goto(`${a.t.weft.url}/operations?view=agents`);

      // then
      await page.locator('[data-testid="needs-operator"]').waitFor();
      await expect(page.locator('[data-agent-action]').count()).resolves.toBe(0);
      await expect(page.locator('[data-testid="agent-board"]').count()).resolves.toBe(0);
      await expect(seriousViolations(page)).resolves.toEqual([]);
      await context.close();
    }
  });
});
