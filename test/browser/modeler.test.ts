/**
 * The modeler page (/modeler) in headless Chromium against a whole Weft:
 * draw, check, deploy, start; a diagram Weft cannot run is refused with its
 * problems on the canvas. Screenshots go to test/artifacts/modeler-*.png.
 */
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../support/test-weft.js';
import { forbidExternalRequests, launchBrowser, screenshot } from '../support/browser.js';
import { buildModelerPage, openModelerPage } from '../support/modeler-page.js';

const TIMER_FIXTURE = fileURLToPath(new URL('../fixtures/modeler/timer-catch.bpmn', import.meta.url));
const FORM_DIAGRAM = fileURLToPath(new URL('../fixtures/modeler/user-task-form.bpmn', import.meta.url));
const FORM = fileURLToPath(new URL('../fixtures/modeler/approval.form', import.meta.url));
const AGENT_DEFINITION = fileURLToPath(new URL('../../processes/agents/ticket-triage.agent.json', import.meta.url));

describe('the modeler page', () => {
  let t: TestWeft;
  let browser: Browser;
  let context: BrowserContext;
  let external: string[];
  let pageErrors: string[];

  let pagesDir: string;

  beforeAll(async () => {
    pagesDir = await buildModelerPage('weft-modeler-pages-');
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

  /** A fresh browser profile with the API token already given, on a loaded modeler. */
  async function openModeler(options: { token?: boolean } = {}): Promise<Page> {
    const opened = await openModelerPage(browser, t.weft.url!, options.token === false ? null : t.config.adminToken!);
    ({ context, external, pageErrors } = opened);
    return opened.page;
  }

  const status = (page: Page) => page.locator('[data-testid=status]');
  const problem = (page: Page, elementId: string, source: 'lint' | 'deploy') => page.locator(`[data-testid=problems] li.from-${source}[data-element-id="${elementId}"]`);

  it('loads its own assets only, in under 2 s from a warm server', async () => {
    // given a warm server (the first load fills the caches)
    const page = await openModeler();

    // when
    await page.reload();
    await page.evaluate(() => window.weft.ready);

    // then: timings from the navigation start of the second load
    const timing = await page.evaluate(() => ({
      domContentLoaded: performance.getEntriesByType('navigation')[0].toJSON().domContentLoadedEventEnd as number,
      ready: performance.getEntriesByName('weft-modeler-ready')[0].startTime,
    }));
    expect(timing.domContentLoaded, JSON.stringify(timing)).toBeLessThan(2000);
    expect(timing.ready, JSON.stringify(timing)).toBeLessThan(2000);
    if (process.env.WEFT_SHOW_TIMINGS) console.info('modeler second load (ms)', timing);
    await expect(page.locator('.djs-palette').count()).resolves.toBe(1);
    await expect(page.locator('#properties .bio-properties-panel').count()).resolves.toBe(1);
    await screenshot(page, 'modeler-blank');
  });

  it('asks for an API token once and keeps it', async () => {
    // given no token in this browser
    const page = await openModeler({ token: false });

    // when an action needs the API
    await page.click('button[data-action=open]');
    await page.fill('#token-dialog input[name=token]', t.config.adminToken!);
    await page.click('#token-dialog button[value=ok]');

    // then the request goes through, and the token is remembered for this tab only (never on disk in localStorage)
    await page.waitForSelector('#open-dialog[open]');
    await expect(page.evaluate(() => sessionStorage.getItem('weft.apiToken'))).resolves.toBe(t.config.adminToken);
    await expect(page.evaluate(() => localStorage.getItem('weft.apiToken'))).resolves.toBeNull();
    await page.reload();
    await page.evaluate(() => window.weft.ready);
    await page.click('button[data-action=open]');
    await page.waitForSelector('#open-dialog[open]');
    await expect(page.locator('#token-dialog').getAttribute('open')).resolves.toBeNull();
  });

  it('moves a token earlier pages left in localStorage out of it, into the tab', async () => {
    // given a browser whose localStorage holds a token (pages before issue #8 kept it there)
    context = await browser.newContext();
    await context.addInitScript((token) => {
      if (!sessionStorage.getItem('seeded')) localStorage.setItem('weft.apiToken', token);
      sessionStorage.setItem('seeded', 'yes');
    }, t.config.adminToken!);
    const page = await context.newPage();
    external = forbidExternalRequests(page, t.weft.url!);
    pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    // when the modeler loads
    await page.goto(`${t.weft.url}/modeler`);
    await page.evaluate(() => window.weft.ready);

    // then the token is gone from localStorage and still works in this tab, without a dialog
    await expect(page.evaluate(() => localStorage.getItem('weft.apiToken'))).resolves.toBeNull();
    await expect(page.evaluate(() => sessionStorage.getItem('weft.apiToken'))).resolves.toBe(t.config.adminToken);
    await page.click('button[data-action=open]');
    await page.waitForSelector('#open-dialog[open]');
    await expect(page.locator('#token-dialog').getAttribute('open')).resolves.toBeNull();
  });

  it('works with a signed-in session instead of a token (cookie and CSRF token)', async () => {
    // given a person with the modeler role, signed in, and no API token in this browser
    expect((await t.api.post('/api/users', { name: 'mona', role: 'modeler', password: 'correct-horse-9' })).status).toBe(201);
    const page = await openModeler({ token: false });
    const signIn = await page.request.post(`${t.weft.url}/auth/sign-in`, { data: { username: 'mona', password: 'correct-horse-9' } });
    expect(signIn.status()).toBe(200);

    // when: deploy a diagram
    await page.evaluate((xml) => window.weftModeler.importXML(xml), readFileSync(FORM_DIAGRAM, 'utf8').replaceAll('modeler-approval', 'modeler-session'));
    await page.click('button[data-action=deploy]');

    // then it is deployed on the session, without asking for a token
    await expect.poll(() => status(page).textContent()).toContain('Deployed modeler-session version 1');
    await expect(page.locator('#token-dialog').getAttribute('open')).resolves.toBeNull();
    await expect(page.evaluate(() => [localStorage.getItem('weft.apiToken'), sessionStorage.getItem('weft.apiToken')])).resolves.toEqual([null, null]);
    const definitions = await t.api.get('/api/process-definitions');
    expect(definitions.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ processId: 'modeler-session' })]));
  });

  it('draws start → service task → end, sets the type in the properties panel, deploys version 1 and starts an instance', async () => {
    // given a new diagram
    const page = await openModeler();
    await page.click('button[data-action=new]');

    // when: draw with the modeling API
    await page.evaluate(() => {
      const modeler = window.weftModeler;
      const modeling = modeler.get<any>('modeling');
      const registry = modeler.get<any>('elementRegistry');
      modeling.updateProperties(modeler.get<any>('canvas').getRootElement(), { id: 'modeler-order', name: 'Order' });
      const start = registry.get('StartEvent_1');
      modeling.updateLabel(start, 'Order received');
      const task = modeling.appendShape(start, { type: 'bpmn:ServiceTask' }, { x: 330, y: 178 });
      modeling.updateProperties(task, { id: 'CheckStock', name: 'Check stock' });
      const end = modeling.appendShape(task, { type: 'bpmn:EndEvent' }, { x: 500, y: 178 });
      modeling.updateProperties(end, { id: 'Done', name: 'Done' });
    });

    // then the check while drawing says the service task has no type
    await expect.poll(() => problem(page, 'CheckStock', 'lint').allInnerTexts()).toEqual([expect.stringContaining('needs a job type')]);

    // when: set the type in the properties panel
    await page.click('[data-element-id=CheckStock] .djs-hit');
    await expect.poll(() => page.locator('#properties .bio-properties-panel-header-type').textContent()).toBe('Service Task');
    const typeInput = page.locator('#bio-properties-panel-taskDefinitionType');
    if (!(await typeInput.isVisible())) await page.click('[data-group-id=group-taskDefinition] .bio-properties-panel-group-header');
    await typeInput.fill('check-stock');

    // then the problem is gone, and the diagram carries the type
    await expect.poll(() => problem(page, 'CheckStock', 'lint').count()).toBe(0);
    const xml = await page.evaluate(async () => (await window.weftModeler.saveXML()).xml!);
    expect(xml).toMatch(/<zeebe:taskDefinition type="check-stock"/);
    await screenshot(page, 'modeler-drawn');

    // when: deploy
    await page.click('button[data-action=deploy]');

    // then version 1 is shown, and the engine has it
    await expect.poll(() => status(page).textContent()).toContain('modeler-order version 1');
    const definitions = await t.api.get('/api/process-definitions');
    expect(definitions.body.items.filter((d: { processId: string }) => d.processId === 'modeler-order')).toEqual([expect.objectContaining({ version: 1 })]);
    await expect(page.locator('[data-testid=dirty]').isHidden()).resolves.toBe(true);

    // when: start an instance, first with variables that are not a JSON object
    await page.click('button[data-action=start]');
    await page.waitForSelector('#start-dialog[open]');
    await page.fill('[data-testid=start-variables]', '{"amount": ');
    await expect(page.locator('[data-testid=start-submit]').isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-testid=start-error]').textContent()).resolves.toContain('Not valid JSON');
    await page.fill('[data-testid=start-variables]', '[1, 2]');
    await expect(page.locator('[data-testid=start-error]').textContent()).resolves.toContain('must be a JSON object');
    await page.fill('[data-testid=start-variables]', '{"amount": 120}');
    await page.click('[data-testid=start-submit]');

    // then a link to the new instance, which the engine knows with its variables
    const link = page.locator('[data-testid=start-result] a[data-instance-id]');
    await link.waitFor();
    const id = await link.getAttribute('data-instance-id');
    await expect(link.getAttribute('href')).resolves.toBe(`/operations?instance=${id}`);
    const instance = await t.api.get(`/api/process-instances/${id}`);
    expect(instance.status).toBe(200);
    expect(instance.body).toMatchObject({ processId: 'modeler-order', version: 1, variables: { amount: 120 } });
    await screenshot(page, 'modeler-started');
  });

  it('keeps unsaved changes across a reload, and opens deployed versions', async () => {
    // given a deployed process (v1) and a change on the canvas that is not deployed
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', TIMER_FIXTURE);
    const deployed = readFileSync(TIMER_FIXTURE, 'utf8')
      .replace(/<bpmn:intermediateCatchEvent[\s\S]*?<\/bpmn:intermediateCatchEvent>/, '<bpmn:task id="Timer_1"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:task>')
      .replaceAll('wait-a-day', 'modeler-versions');
    expect((await t.api.deploy([{ name: 'versions.bpmn', xml: deployed }])).status).toBe(201);
    await page.evaluate((xml) => window.weftModeler.importXML(xml), deployed);
    await page.evaluate(() => {
      const modeling = window.weftModeler.get<any>('modeling');
      modeling.updateLabel(window.weftModeler.get<any>('elementRegistry').get('End_1'), 'Changed, not deployed');
    });

    // when
    await page.reload();
    await page.evaluate(() => window.weft.ready);

    // then the change is still there
    await expect(page.evaluate(() => window.weftModeler.get<any>('elementRegistry').get('End_1').businessObject.name)).resolves.toBe(
      'Changed, not deployed',
    );
    await expect(page.locator('[data-testid=dirty]').isVisible()).resolves.toBe(true);

    // when: open the deployed version
    await page.click('button[data-action=open]');
    await page.click('#open-dialog button[data-process-id=modeler-versions][data-version="1"]');

    // then the canvas shows what was deployed
    await expect.poll(() => page.evaluate(() => window.weftModeler.get<any>('elementRegistry').get('End_1')?.businessObject.name)).toBe('Done');
    await expect(status(page).textContent()).resolves.toContain('Opened modeler-versions version 1');
    await expect(page.locator('[data-testid=dirty]').isHidden()).resolves.toBe(true);
  });

  it('shows what Weft cannot run on the canvas, and the deploy is refused naming the element', async () => {
    // given a diagram with a conditional intermediate catch event (Weft runs none), dropped on the page
    const page = await openModeler();
    const xml = readFileSync(TIMER_FIXTURE, 'utf8');
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'timer-catch.bpmn', { type: 'application/xml' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    }, xml);
    await expect.poll(() => page.evaluate(() => window.weftModeler.get<any>('elementRegistry').get('Timer_1')?.type)).toBe('bpmn:IntermediateCatchEvent');

    // then the check while drawing marks it
    await expect.poll(() => problem(page, 'Timer_1', 'lint').allInnerTexts()).toEqual([expect.stringContaining('not supported by Weft')]);

    // when
    await page.click('button[data-action=deploy]');

    // then the deploy is refused naming the element, and the problem is on the canvas
    await expect.poll(() => status(page).textContent()).toMatch(/Deploy refused.*Timer_1/);
    // one line, found by both the check and the deploy, in the check's wording
    await expect(problem(page, 'Timer_1', 'deploy').count()).resolves.toBe(1);
    await expect(problem(page, 'Timer_1', 'deploy').getAttribute('class')).resolves.toContain('from-lint');
    await expect(problem(page, 'Timer_1', 'deploy').textContent()).resolves.toContain('An intermediate catch event with bpmn:ConditionalEventDefinition is not supported by Weft yet');
    await expect(page.locator('.djs-element.weft-deploy-problem[data-element-id=Timer_1]').count()).resolves.toBe(1);
    await expect(page.locator('.weft-problem-overlay[data-element-id=Timer_1]').textContent()).resolves.toContain('not supported by Weft');
    const definitions = await t.api.get('/api/process-definitions');
    expect(definitions.body.items.map((d: { processId: string }) => d.processId)).not.toContain('wait-a-day');
    await screenshot(page, 'modeler-deploy-refused');

    // when: click the problem
    await problem(page, 'Timer_1', 'deploy').click();

    // then its element is selected
    await expect(page.evaluate(() => window.weftModeler.get<any>('selection').get().map((e: { id: string }) => e.id))).resolves.toEqual(['Timer_1']);
  });

  it('deploys the agent definitions attached to the diagram with it, and lists a broken one by file', async () => {
    // given a diagram with an agent definition attached
    const page = await openModeler();
    await page.click('button[data-action=new]');
    await page.evaluate(() => {
      const modeler = window.weftModeler;
      const modeling = modeler.get<any>('modeling');
      modeling.updateProperties(modeler.get<any>('canvas').getRootElement(), { id: 'modeler-attachments' });
      modeling.appendShape(modeler.get<any>('elementRegistry').get('StartEvent_1'), { type: 'bpmn:EndEvent' }, { x: 330, y: 178 });
    });
    await page.setInputFiles('input[data-action=attach]', AGENT_DEFINITION);
    await expect.poll(() => page.locator('[data-testid=attachments] .attachment').allInnerTexts()).toEqual([expect.stringContaining('ticket-triage.agent.json')]);

    // when
    await page.click('button[data-action=deploy]');

    // then both are deployed
    await expect.poll(() => status(page).textContent()).toMatch(/Deployed modeler-attachments version 1 with 1 agents/);
    const agents = await t.api.get('/api/agents');
    expect(agents.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ticket-triage', version: 1 })]));

    // when an attachment that does not validate replaces it
    await page.setInputFiles('input[data-action=attach]', { name: 'ticket-triage.agent.json', mimeType: 'application/json', buffer: Buffer.from('{"name": "ticket-triage"}') });
    await page.click('button[data-action=deploy]');

    // then the deploy is refused and the problems name the file
    await expect.poll(() => status(page).textContent()).toContain('Deploy refused');
    await expect(page.locator('[data-testid=problems] li.from-deploy .where').first().textContent()).resolves.toBe('ticket-triage.agent.json');
    await expect(page.locator('[data-testid=attachments] .attachment').count()).resolves.toBe(1);
  });

  it('warns about a user task whose form is not deployed, until its .form is attached and deployed', async () => {
    // given a user task linking form "modeler-approval", which is not deployed
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', FORM_DIAGRAM);

    // then
    await expect.poll(() => problem(page, 'Approve', 'lint').allInnerTexts()).toEqual([expect.stringContaining('Form "modeler-approval" is not deployed')]);

    // when the form is attached
    await page.setInputFiles('input[data-action=attach]', FORM);

    // then the warning goes, and the deploy takes both
    await expect.poll(() => problem(page, 'Approve', 'lint').count()).toBe(0);
    await page.click('button[data-action=deploy]');
    await expect.poll(() => status(page).textContent()).toMatch(/Deployed modeler-approval version 1 with 1 forms/);
    expect((await t.api.get('/api/forms/modeler-approval')).status).toBe(200);

    // when the attachment is removed: the form is deployed now, so still no warning
    await page.click('[data-testid=attachments] .attachment[data-name="approval.form"] button');
    await page.waitForTimeout(300);
    await expect(problem(page, 'Approve', 'lint').count()).resolves.toBe(0);
  });

  it('edits the form of a user task with the form-js editor and deploys it with the diagram', async () => {
    // given a user task linking a form that exists nowhere yet
    const page = await openModeler();
    await page.setInputFiles('input[data-action=import]', FORM_DIAGRAM);
    await page.click('[data-element-id=Approve] .djs-hit');

    // when: open its form, add a field through the editor's API, save
    await page.click('button[data-action=form]');
    await page.waitForSelector('#form-dialog[open] .fjs-editor-container');
    await expect(page.locator('[data-testid=form-id]').textContent()).resolves.toBe('modeler-approval');
    await screenshot(page, 'modeler-form-editor');
    await page.evaluate(() => {
      const editor = (window as any).weftFormEditor;
      const root = editor._getState().schema;
      editor.get('modeling').addFormField({ type: 'textfield', key: 'comment', label: 'Comment', _parent: root.id }, root, 0);
    });
    await page.click('[data-testid=form-save]');

    // then the form is attached, the check is satisfied, and the deploy takes it
    await expect.poll(() => page.locator('[data-testid=attachments] .attachment').allInnerTexts()).toEqual([expect.stringContaining('modeler-approval.form')]);
    await expect.poll(() => problem(page, 'Approve', 'lint').count()).toBe(0);
    await page.click('button[data-action=deploy]');
    await expect.poll(() => status(page).textContent()).toMatch(/with 1 forms/);
    const form = await t.api.get('/api/forms/modeler-approval');
    // (an earlier test may have deployed a version of this form: the editor starts from it)
    expect(form.body.schema.components).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'comment', label: 'Comment' })]));
  });

  it('applies an element template from GET /api/element-templates to the selected task', async () => {
    // given the templates the server offers
    const templates = await t.api.get('/api/element-templates');
    expect(templates.status).toBe(200);
    expect(templates.body.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['io.weft.agent', 'io.weft.agent-ad-hoc', 'io.weft.job-worker']));
    const page = await openModeler();
    await page.click('button[data-action=new]');
    await page.evaluate(() => {
      const modeling = window.weftModeler.get<any>('modeling');
      const task = modeling.appendShape(window.weftModeler.get<any>('elementRegistry').get('StartEvent_1'), { type: 'bpmn:Task' }, { x: 330, y: 178 });
      modeling.updateProperties(task, { id: 'Summarise' });
    });
    await page.click('[data-element-id=Summarise] .djs-hit');

    // when
    await page.click('button[data-action=template]');
    await page.click('.djs-popup-body [data-id="apply-template-io.weft.agent"]');

    // then the task is an agent task, and the properties panel shows the template's fields
    const xml = await page.evaluate(async () => (await window.weftModeler.saveXML()).xml!);
    expect(xml).toMatch(/<bpmn:serviceTask id="Summarise"[^>]*zeebe:modelerTemplate="io.weft.agent"/);
    expect(xml).toMatch(/<zeebe:taskDefinition type="agent"/);
    await page.locator('#properties .bio-properties-panel-header-type', { hasText: /agent task/i }).waitFor();
    await page.click('#properties .bio-properties-panel-group-header:has-text("Custom properties")');
    const agentField = page.getByLabel('Agent definition', { exact: true });
    await agentField.fill('helper');
    await expect
      .poll(async () => page.evaluate(async () => (await window.weftModeler.saveXML()).xml!))
      .toMatch(/<zeebe:header key="agent" value="helper"/);
    await screenshot(page, 'modeler-template');

    // when: the ad-hoc template on an expanded sub-process
    await page.evaluate(() => {
      const modeling = window.weftModeler.get<any>('modeling');
      const sub = modeling.appendShape(window.weftModeler.get<any>('elementRegistry').get('Summarise'), { type: 'bpmn:SubProcess', isExpanded: true }, { x: 650, y: 178 });
      modeling.updateProperties(sub, { id: 'Concierge' });
      window.weftModeler.get<any>('selection').select(sub);
    });
    await page.click('button[data-action=template]');
    await page.click('.djs-popup-body [data-id="apply-template-io.weft.agent-ad-hoc"]');

    // then it is an expanded ad-hoc sub-process with an agent
    const adHoc = await page.evaluate(() => {
      const element = window.weftModeler.get<any>('elementRegistry').get('Concierge');
      return { type: element.type, expanded: element.di.isExpanded, template: element.businessObject.get('zeebe:modelerTemplate') };
    });
    expect(adHoc).toEqual({ type: 'bpmn:AdHocSubProcess', expanded: true, template: 'io.weft.agent-ad-hoc' });
  });

  it('plays the diagram with token simulation, and downloads .bpmn and .svg', async () => {
    // given
    const page = await openModeler();
    await page.click('button[data-action=new]');

    // when / then: the toggle turns simulation on and off
    await page.click('.bts-toggle-mode');
    await expect(page.locator('.simulation').count()).resolves.toBe(1);
    await screenshot(page, 'modeler-simulation');
    await page.click('.bts-toggle-mode');
    await expect(page.locator('.simulation').count()).resolves.toBe(0);

    // when / then: downloads
    for (const [action, pattern] of [['download-bpmn', /<bpmn:definitions/], ['download-svg', /<svg/]] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-action=${action}]`)]);
      const path = await download.path();
      expect(readFileSync(path, 'utf8')).toMatch(pattern);
    }
  });
});
