/**
 * The modeler page as a new user meets it (issue #12): attachments belong to
 * their diagram, a diagram opens fitted, one problem is one line, the
 * problems panel folds away and never covers the palette, what Weft cannot
 * run is marked before it is placed, and the page passes axe-core.
 * Screenshots go to test/artifacts/modeler-diagrams-*.png.
 */
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { buildModelerPage, openModelerPage } from '../support/modeler-page.js';
import { seriousViolations } from '../support/accessibility.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const FORM_DIAGRAM = fixture('modeler/user-task-form.bpmn');
const FORM = fixture('modeler/approval.form');
const JOBS_WITHOUT_TYPE = fixture('modeler/message-jobs-without-type.bpmn');


/** A process of `n` tasks (of `kind`) in a row, without layout: the page lays it out, larger than any window. */
function longChain(n: number, kind = 'task'): string {
  const ids = ['start', ...Array.from({ length: n }, (_, i) => `task-${i}`), 'end'];
  const nodes = ids.map((id, i) => (i === 0 ? `<bpmn:startEvent id="${id}"/>` : i === ids.length - 1 ? `<bpmn:endEvent id="${id}"/>` : `<bpmn:${kind} id="${id}" name="Step ${i}"/>`));
  const flows = ids.slice(1).map((id, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${id}"/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="long-defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="long-chain" isExecutable="true">${nodes.join('')}${flows.join('')}</bpmn:process>
</bpmn:definitions>`;
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the modeler page, diagram by diagram', () => {
  let t: TestWeft;
  let browser: Browser;
  let context: BrowserContext;
  let external: string[];
  let pageErrors: string[];
  let pagesDir: string;

  beforeAll(async () => {
    pagesDir = await buildModelerPage('weft-modeler-diagrams-');
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
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function openModeler(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const opened = await openModelerPage(browser, t.weft.url!, t.config.adminToken!);
    ({ context, external, pageErrors } = opened);
    await opened.page.setViewportSize(viewport);
    return opened.page;
  }

  const status = (page: Page) => page.locator('[data-testid=status]');
  const chips = (page: Page) => page.locator('[data-testid=attachments] .attachment').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name));
  const processIdOnCanvas = (page: Page) => page.evaluate(() => window.weftModeler.get<any>('canvas').getRootElement().businessObject.id as string);

  it('keeps attachments with their diagram: another diagram neither shows nor deploys them, and they are back with their own', async () => {
    // given diagram A (process modeler-approval) with its form attached
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', FORM_DIAGRAM);
    await expect.poll(() => processIdOnCanvas(page)).toBe('modeler-approval');
    await page.setInputFiles('input[data-action=attach]', FORM);
    await expect.poll(() => chips(page)).toEqual(['approval.form']);

    // when diagram B is created
    await page.click('button[data-action=new]');
    await expect.poll(() => processIdOnCanvas(page)).not.toBe('modeler-approval');
    const b = await processIdOnCanvas(page);

    // then B shows none, and deploys without A's form
    await expect(chips(page)).resolves.toEqual([]);
    await page.click('button[data-action=deploy]');
    await expect.poll(() => status(page).textContent()).toMatch(new RegExp(`^Deployed ${b} version 1$`));
    expect((await t.api.get('/api/forms/modeler-approval')).status).toBe(404);

    // when A is opened again, and the page reloaded
    await page.setInputFiles('input[data-action=import]', FORM_DIAGRAM);
    await expect.poll(() => processIdOnCanvas(page)).toBe('modeler-approval');

    // then its form is there again, and stays after a reload
    await expect.poll(() => chips(page)).toEqual(['approval.form']);
    await page.reload();
    await page.evaluate(() => window.weft.ready);
    await expect.poll(() => chips(page)).toEqual(['approval.form']);

    // and A deploys with it
    await page.click('button[data-action=deploy]');
    await expect.poll(() => status(page).textContent()).toMatch(/^Deployed modeler-approval version 1 with 1 forms$/);
    expect((await t.api.get('/api/forms/modeler-approval')).status).toBe(200);

    // when B is opened from the server: still none
    await page.click('button[data-action=open]');
    await page.click(`#open-dialog button[data-process-id="${b}"][data-version="1"]`);
    await expect.poll(() => processIdOnCanvas(page)).toBe(b);
    await expect(chips(page)).resolves.toEqual([]);
  });

  it('takes the attachments along when the process id is edited', async () => {
    // given a new diagram with a form attached
    const page = await openModeler();
    await page.click('button[data-action=new]');
    await page.setInputFiles('input[data-action=attach]', FORM);
    await expect.poll(() => chips(page)).toEqual(['approval.form']);

    // when its process id is changed, and the page reloaded
    await page.evaluate(() => {
      const modeler = window.weftModeler;
      modeler.get<any>('modeling').updateProperties(modeler.get<any>('canvas').getRootElement(), { id: 'renamed-process' });
    });
    await page.reload();
    await page.evaluate(() => window.weft.ready);

    // then
    await expect.poll(() => processIdOnCanvas(page)).toBe('renamed-process');
    await expect.poll(() => chips(page)).toEqual(['approval.form']);
  });

  it('gives the attachments of a draft kept before they were kept per diagram to that draft', async () => {
    // given a draft as the page kept it before, attachments inside the draft
    const page = await openModeler();
    await page.evaluate((xml) => {
      localStorage.clear();
      localStorage.setItem('weft.modeler.draft', JSON.stringify({ xml, baseXml: null, fileName: 'user-task-form.bpmn', attachments: [{ name: 'approval.form', content: '{"id":"modeler-approval"}' }], savedAt: new Date().toISOString() }));
    }, readFileSync(FORM_DIAGRAM, 'utf8'));

    // when
    await page.reload();
    await page.evaluate(() => window.weft.ready);

    // then the draft's diagram has them, and a new diagram has none
    await expect.poll(() => chips(page)).toEqual(['approval.form']);
    await page.click('button[data-action=new]');
    await expect.poll(() => chips(page)).toEqual([]);
  });

  /** The canvas's viewbox and zoom, and whether every shape lies inside the viewbox. */
  const fit = (page: Page) =>
    page.evaluate(() => {
      const canvas = window.weftModeler.get<any>('canvas');
      const box = canvas.viewbox();
      const shapes = window.weftModeler.get<any>('elementRegistry').filter((e: any) => !e.waypoints && e.type !== 'label' && e.parent);
      // A fit touches the outermost shapes: allow a rounding's worth (the container measures in whole pixels), 2 pixels on screen.
      const e = 2 / canvas.zoom();
      const outside = shapes
        .filter((s: any) => s.x < box.x - e || s.y < box.y - e || s.x + s.width > box.x + box.width + e || s.y + s.height > box.y + box.height + e)
        .map((s: any) => s.id);
      return { zoom: canvas.zoom() as number, shapes: shapes.length as number, outside: outside.map((id: string) => `${id} ${JSON.stringify(window.weftModeler.get<any>('elementRegistry').get(id), ['x', 'y', 'width', 'height'])} ${JSON.stringify(box, ['x', 'y', 'width', 'height'])}`) as string[] };
    });

  it('opens a new diagram at a zoom that fits (100 % or less, every shape in view), and fits a large opened one', async () => {
    // given
    const page = await openModeler();

    // when
    await page.click('button[data-action=new]');

    // then
    const fresh = await fit(page);
    expect(fresh.shapes).toBeGreaterThan(0);
    expect(fresh.outside).toEqual([]);
    expect(fresh.zoom).toBeLessThanOrEqual(1);
    await screenshot(page, 'modeler-diagrams-new');

    // when a diagram larger than the window is imported
    await page.setInputFiles('input[data-action=import]', { name: 'long-chain.bpmn', mimeType: 'application/xml', buffer: Buffer.from(longChain(40)) });
    await expect.poll(async () => (await fit(page)).shapes).toBe(42);

    // then all of it is in view, zoomed out
    const large = await fit(page);
    expect(large.outside).toEqual([]);
    expect(large.zoom).toBeLessThan(1);
  });

  it('lists each deploy refusal once, in one wording, marked as found by both', async () => {
    // given three jobs without a type, found while drawing
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', JOBS_WITHOUT_TYPE);
    // (bpmnlint's own rules add lines of other kinds on the same elements, e.g. a missing label)
    const lines = (id: string) => page.locator(`[data-testid=problems] li[data-element-id="${id}"][data-rule="weft/job-type"]`);
    await expect.poll(() => lines('send-offer').count()).toBe(1);

    // when the deploy refuses them
    await page.click('button[data-action=deploy]');
    await expect.poll(() => status(page).textContent()).toMatch(/Deploy refused: 3 problem/);

    // then each is one line, in the check's wording, from both sources
    for (const id of ['send-offer', 'tell-shop', 'tell-customer']) {
      await expect(lines(id).count()).resolves.toBe(1);
      await expect(lines(id).getAttribute('class')).resolves.toMatch(/from-lint.*from-deploy/);
      await expect(lines(id).locator('.what').textContent()).resolves.toMatch(/needs a job type \(Task definition → Type\)$/);
      await expect(lines(id).locator('.source').textContent()).resolves.toBe('check · refused at deploy');
      await expect(page.locator(`[data-testid=problems] li[data-element-id="${id}"]`).allInnerTexts()).resolves.toEqual([expect.stringContaining('job type')].concat(Array(await page.locator(`[data-testid=problems] li[data-element-id="${id}"]:not([data-rule="weft/job-type"])`).count()).fill(expect.not.stringContaining('job type'))));
    }
    await expect(page.locator('[data-testid=problems] li.from-deploy:not(.from-lint)').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=problem-count]').textContent()).resolves.toBe(String(await page.locator('[data-testid=problems] li').count()));
    await screenshot(page, 'modeler-diagrams-problems');
  });

  /** Bounding boxes of the palette, the problems panel and the canvas. */
  async function layout(page: Page) {
    await page.waitForTimeout(100);
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    return { palette: await box('.djs-palette'), panel: await box('[data-testid=problems-panel]'), canvas: await box('#canvas') };
  }

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 720, height: 640 },
  ]) {
    it(`keeps the problems panel off the palette at ${viewport.width}×${viewport.height}, folds it away and remembers that`, async () => {
      // given a diagram with many problems (twelve service tasks without a job type)
      const page = await openModeler(viewport);
      await page.setInputFiles('input[data-action=import]', { name: 'untyped.bpmn', mimeType: 'application/xml', buffer: Buffer.from(longChain(12, 'serviceTask')) });
      await expect.poll(() => processIdOnCanvas(page)).toBe('long-chain');
      await page.click('button[data-action=deploy]');
      await expect.poll(() => status(page).textContent()).toMatch(/Deploy refused/);
      await expect.poll(() => page.locator('[data-testid=problems] li').count()).toBeGreaterThan(6);

      // then the panel is below the canvas and the palette inside it
      const open = await layout(page);
      expect(overlaps(open.palette, open.panel), JSON.stringify(open)).toBe(false);
      expect(open.palette.y + open.palette.height).toBeLessThanOrEqual(open.canvas.y + open.canvas.height);
      await screenshot(page, `modeler-diagrams-panel-${viewport.width}`);

      // when the panel is folded
      await page.click('[data-testid=problems-toggle]');

      // then the list is hidden, the canvas grows, and a reload keeps it folded
      await expect(page.locator('[data-testid=problems]').isHidden()).resolves.toBe(true);
      await expect(page.locator('[data-testid=problems-toggle]').getAttribute('aria-expanded')).resolves.toBe('false');
      const folded = await layout(page);
      expect(folded.canvas.height).toBeGreaterThan(open.canvas.height);
      expect(overlaps(folded.palette, folded.panel)).toBe(false);
      await page.reload();
      await page.evaluate(() => window.weft.ready);
      await expect(page.locator('[data-testid=problems-toggle]').getAttribute('aria-expanded')).resolves.toBe('false');
      await expect(page.locator('[data-testid=problems]').isHidden()).resolves.toBe(true);

      // when unfolded again
      await page.click('[data-testid=problems-toggle]');
      await expect(page.locator('[data-testid=problems]').isVisible()).resolves.toBe(true);
    });
  }

  /** The replace menu of element `id`, opened from its context pad: each entry's id, whether marked, its tooltip. */
  async function replaceMenu(page: Page, id: string) {
    // selected as a click would (lint badges may lie over a small shape); the context pad opens for it
    await page.evaluate((elementId) => window.weftModeler.get<any>('selection').select(window.weftModeler.get<any>('elementRegistry').get(elementId)), id);
    await page.click('.djs-context-pad [data-action=replace]');
    await page.locator('.djs-popup').waitFor();
    return page.locator('.djs-popup li.entry').evaluateAll((items) =>
      items.map((li) => ({ id: (li as HTMLElement).dataset.id!, marked: !!li.querySelector('.weft-unsupported'), title: li.getAttribute('title') ?? '' })),
    );
  }

  it('marks what Weft cannot run in the replace menu, with the reason, before it is placed; the palette offers only what runs', async () => {
    // given a diagram with a gateway and a start event
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', fixture('modeler/timer-catch.bpmn'));
    await expect.poll(() => processIdOnCanvas(page)).toBe('wait-a-day');
    await page.evaluate(() => {
      const modeler = window.weftModeler;
      modeler.get<any>('modeling').createShape({ type: 'bpmn:ExclusiveGateway' }, { x: 300, y: 400 }, modeler.get<any>('canvas').getRootElement()).id;
    });
    const gateway = await page.evaluate(() => window.weftModeler.get<any>('elementRegistry').filter((e: any) => e.type === 'bpmn:ExclusiveGateway')[0].id as string);

    // when the gateway's replace menu opens
    const gateways = await replaceMenu(page, gateway);

    // then the complex gateway is marked with why, the others are not
    expect(gateways.find((e) => e.id === 'replace-with-complex-gateway')).toEqual({ id: 'replace-with-complex-gateway', marked: true, title: expect.stringContaining('bpmn:ComplexGateway is not supported by Weft yet') });
    expect(gateways.filter((e) => e.marked).map((e) => e.id)).toEqual(['replace-with-complex-gateway']);
    await screenshot(page, 'modeler-diagrams-replace-menu');
    await page.keyboard.press('Escape');

    // when the start event's: conditional is marked, timer, message and signal are not
    const starts = await replaceMenu(page, 'Start_1');
    const marked = starts.filter((e) => e.marked).map((e) => e.id);
    expect(marked).toContain('replace-with-conditional-start');
    expect(marked).not.toContain('replace-with-timer-start');
    expect(marked).not.toContain('replace-with-message-start');
    expect(marked).not.toContain('replace-with-signal-start');
    await page.keyboard.press('Escape');

    // and the palette: every entry Weft can run, so none marked (each is checked against the same list)
    await expect(page.locator('.djs-palette .entry.weft-unsupported').count()).resolves.toBe(0);
    await expect(page.locator('.djs-palette .entry').count()).resolves.toBeGreaterThan(5);
  });

  it('has no serious or critical accessibility violation (axe-core), with problems listed', async () => {
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', JOBS_WITHOUT_TYPE);
    await expect.poll(() => page.locator('[data-testid=problems] li').count()).toBeGreaterThan(0);

    await expect(seriousViolations(page)).resolves.toEqual([]);
  });
});
