/**
 * The form editor's live preview (issue #12), in real headless Chromium: the
 * form as edited is rendered beside the editor, follows each edit, can be
 * filled in and checked against its rules, and keeps the form-js watermark
 * its licence requires.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { buildModelerPage, openModelerPage } from '../support/modeler-page.js';

const FORM_DIAGRAM = fileURLToPath(new URL('../fixtures/modeler/user-task-form.bpmn', import.meta.url));
const FORM = fileURLToPath(new URL('../fixtures/modeler/approval.form', import.meta.url));

describe('the form editor\'s preview', () => {
  let t: TestWeft;
  let browser: Browser;
  let pagesDir: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    pagesDir = await buildModelerPage('weft-form-preview-pages-');
    t = await startTestWeft({ pagesDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.stop();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });

  it('renders the form as edited, follows each edit, and checks what is filled in against the form\'s rules', async () => {
    // given the form of a user task, open in the editor
    const opened = await openModelerPage(browser, t.weft.url!, t.config.adminToken!);
    context = opened.context;
    const page = opened.page;
    await page.setInputFiles('input[data-action=import]', FORM_DIAGRAM);
    await page.setInputFiles('input[data-action=attach]', FORM);
    await page.click('[data-element-id=Approve] .djs-hit');
    await page.click('button[data-action=form]');
    await page.waitForSelector('#form-dialog[open] .fjs-editor-container');
    const preview = page.getByTestId('form-preview');

    // then the preview shows the form as it is
    await expect.poll(() => preview.getByLabel('Approved').count()).toBe(1);

    // when a required field is added in the editor
    await page.evaluate(() => {
      const editor = (window as any).weftFormEditor;
      const root = editor._getState().schema;
      editor.get('modeling').addFormField({ type: 'textfield', key: 'reference', label: 'Reference', validate: { required: true, pattern: '^PO-\\d+$' }, _parent: root.id }, root, 0);
    });

    // then the preview follows, without saving
    const reference = preview.getByLabel('Reference');
    await reference.waitFor();

    // when the form is checked empty, its rule speaks
    await page.getByTestId('form-preview-check').click();
    await expect.poll(() => page.getByTestId('form-preview-result').textContent()).toBe('1 field needs attention: see the messages next to it.');
    await expect.poll(() => preview.locator('.fjs-form-field-error').allTextContents()).toEqual([expect.stringContaining('required')]);

    // a value the pattern refuses is refused; a good one is accepted, with the data the task would get
    await reference.fill('nope');
    await page.getByTestId('form-preview-check').click();
    await expect.poll(() => page.getByTestId('form-preview-result').textContent()).toMatch(/needs attention/);
    await reference.fill('PO-123');
    // (form-js's text field reports its value debounced; leaving it first is what a person does too)
    await reference.press('Tab');
    await preview.getByLabel('Approved').check();
    await page.getByTestId('form-preview-check').click();
    await expect.poll(() => page.getByTestId('form-preview-result').textContent()).toBe('The form accepts this data.');
    expect(JSON.parse((await page.getByTestId('form-preview-data').textContent())!)).toEqual({ reference: 'PO-123', approved: true });

    // what was typed stays while the form is edited further
    await page.evaluate(() => {
      const editor = (window as any).weftFormEditor;
      const root = editor._getState().schema;
      editor.get('modeling').addFormField({ type: 'textfield', key: 'note', label: 'Note', _parent: root.id }, root, 2);
    });
    await preview.getByLabel('Note').waitFor();
    await expect.poll(() => preview.getByLabel('Reference').inputValue()).toBe('PO-123');

    // the preview keeps form-js's watermark, fully visible (its licence requires it)
    const mark = preview.locator('.fjs-powered-by-link');
    expect(await mark.isVisible()).toBe(true);
    await screenshot(page, 'form-editor-preview');

    // and saving takes the edited schema, not the preview's data
    await page.click('[data-testid=form-save]');
    await expect.poll(() => page.locator('#form-dialog[open]').count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
    expect(opened.external).toEqual([]);
  });
});
