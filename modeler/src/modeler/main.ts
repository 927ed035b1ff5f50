/// <reference path="../shared/bpmn-auto-layout.d.ts" />
/**
 * The modeler page: draw, check, deploy and start processes. Wires the
 * bpmn-js modeler (create-modeler.ts) to the toolbar, the draft kept in the
 * browser, the problems list and the API client.
 */
import './modeler.css';
import { ApiClient, ApiError } from './api-client';
import { Attachments } from './attachments';
import { AttachmentStore } from './attachment-store';
import { formCatalog, formIdOf } from './lint/form-catalog';
import { createModeler } from './create-modeler';
import { loadDraft, saveDraft, type Draft } from './draft-store';
import { acceptDroppedFiles, download } from './downloads';
import { newDiagramXml } from './new-diagram';
import { chooseDefinition } from './open-dialog';
import { ProblemsView } from './problems-view';
import { collapsiblePanel } from './collapsible-panel';
import { fitDiagram, followContainerSize } from './fit-diagram';
import { openStartDialog } from './start-dialog';
import { tokenPrompt } from './token-dialog';
import { editTaskDecision } from './decisions';
import { setZeebeExtension } from './zeebe-extensions';

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

const modeler = createModeler($('#canvas'), $('#properties'));
const api = new ApiClient(tokenPrompt($<HTMLDialogElement>('#token-dialog')));
const problems = new ProblemsView(modeler, $<HTMLUListElement>('[data-testid=problems]'), $('[data-testid=problem-count]'));
const status = $('[data-testid=status]');
followContainerSize(modeler.get<any>('canvas'), $('#canvas'));
collapsiblePanel($('[data-testid=problems-panel]'), $<HTMLButtonElement>('[data-testid=problems-toggle]'), $('[data-testid=problems]'), 'weft.modeler.problems');
const attachmentStore = new AttachmentStore();
const attachments = new Attachments($('[data-testid=attachments]'), () => {
  attachmentStore.set(current.diagramKey, attachments.all());
  knowAttachedForms();
  modeler.get<any>('linting').update();
  persist();
});

/** Forms attached to the diagram count as existing for the user-task check. */
function knowAttachedForms(): void {
  formCatalog.setAttached(attachments.all().filter((a) => /\.form$/i.test(a.name)).flatMap((a) => formIdOf(a.content) ?? []));
}
formCatalog.configure(
  (formId) => api.formExists(formId),
  () => modeler.get<any>('linting').update(),
);

/** What is on the canvas: its file name and the XML it was opened or deployed as. */
const current = {
  fileName: 'diagram.bpmn',
  baseXml: null as string | null,
  lastDeployed: null as { processId: string; version: number } | null,
  /** Whose attachments are shown: the process id of the diagram on the canvas (attachment-store.ts). */
  diagramKey: '',
};

function setStatus(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  status.textContent = text;
  status.title = text;
  status.className = `status ${kind}`;
}

/** The id of the (first) executable process on the canvas. */
function processId(): string | undefined {
  const root = modeler.get<any>('canvas').getRootElement()?.businessObject;
  const process = root?.$type === 'bpmn:Collaboration' ? root.participants?.[0]?.processRef : root;
  return process?.id;
}

async function xml(): Promise<string> {
  return (await modeler.saveXML({ format: true })).xml!;
}

async function persist(): Promise<void> {
  const text = await xml();
  saveDraft({ xml: text, baseXml: current.baseXml, fileName: current.fileName });
  $('[data-testid=dirty]').hidden = current.baseXml === text;
  const name = modeler.get<any>('canvas').getRootElement()?.businessObject?.name;
  $('[data-testid=diagram-title]').textContent = name ? `${name} (${current.fileName})` : current.fileName;
}

/**
 * What counts as deployed for a diagram put on the canvas: the diagram as
 * opened (a new one, a deployed version), nothing (an imported file), or a
 * remembered XML (a draft restored after a reload).
 */
type Baseline = 'as-opened' | 'nothing' | { baseXml: string | null };

/** Imports `text`; a file without layout (BPMN DI), as tools and hands write them, is laid out first. */
async function importLaidOut(text: string): ReturnType<typeof modeler.importXML> {
  try {
    return await modeler.importXML(text);
  } catch (error) {
    if (!/no diagram to display/i.test(String(error))) throw error;
    const { layoutProcess } = await import('bpmn-auto-layout');
    const result = await modeler.importXML(await layoutProcess(text));
    // bpmn-auto-layout lays out a process, not the planes of collapsed or event sub-processes: without those, bpmn-js cannot save.
    if (modeler.get<any>('canvas').getRootElements().some((root: { di?: unknown }) => !root.di)) {
      throw new Error('it has no layout (BPMN DI) and its sub-processes could not be laid out automatically; open it in a modeling tool that draws it first');
    }
    return result;
  }
}

/** Replaces the canvas with `text`. */
async function open(text: string, fileName: string, baseline: Baseline): Promise<boolean> {
  const opened = openNow(text, fileName, baseline);
  opening = opened;
  return opened;
}

/** The diagram being put on the canvas: a deploy waits for it (saving a half-imported diagram fails inside bpmn-js). */
let opening: Promise<unknown> = Promise.resolve();

async function openNow(text: string, fileName: string, baseline: Baseline): Promise<boolean> {
  try {
    const { warnings } = await importLaidOut(text);
    current.fileName = fileName;
    current.baseXml = baseline === 'as-opened' ? await xml() : baseline === 'nothing' ? null : baseline.baseXml;
    if (warnings.length) setStatus(`Opened ${fileName} with ${warnings.length} import warning(s): ${(warnings[0] as unknown as Error).message ?? warnings[0]}`);
    await persist();
    // After the title and the dirty mark are shown: they may wrap the toolbar, and so resize the canvas.
    fitDiagram(modeler.get<any>('canvas'));
    return true;
  } catch (e) {
    setStatus(`Could not open ${fileName}: ${(e as Error).message}`, 'error');
    return false;
  }
}

async function deploy(): Promise<void> {
  await opening;
  const text = await xml();
  const fileName = current.fileName.endsWith('.bpmn') ? current.fileName : `${processId() ?? 'diagram'}.bpmn`;
  setStatus('Deploying…');
  try {
    const result = await api.deploy([{ name: fileName, content: text }, ...attachments.all().map((a) => ({ ...a, type: /\.dmn$/i.test(a.name) ? 'application/xml' : 'application/json' }))]);
    problems.showDeployProblems([]);
    formCatalog.refresh();
    modeler.get<any>('linting').update();
    current.baseXml = text;
    const deployed = result.processes.find((p) => p.processId === processId()) ?? result.processes[0];
    if (deployed) current.lastDeployed = { processId: deployed.processId, version: deployed.version };
    const versions = result.processes.map((p) => `${p.processId} version ${p.version}`).join(', ');
    // Features list what else was deployed under their own keys (forms, agents).
    const others = Object.entries(result)
      .filter(([key, value]) => key !== 'processes' && key !== 'warnings' && Array.isArray(value) && value.length > 0)
      .map(([key, value]) => `${(value as unknown[]).length} ${key}`);
    // Deployed, but something will not work as it stands (an agent whose model is not configured): said with the result.
    const warnings = result.warnings ?? [];
    const warned = warnings.length ? `. ${warnings.length} warning(s): ${warnings.map((w) => `${w.elementId ?? w.file}: ${w.message}`).join(' ')}` : '';
    setStatus(`Deployed ${versions}${others.length ? ` with ${others.join(', ')}` : ''}${warned}`, 'ok');
    $('[data-testid=status]').dataset.version = String(deployed?.version ?? '');
    await persist();
  } catch (e) {
    if (e instanceof ApiError && e.details?.problems) {
      problems.showDeployProblems(e.details.problems, fileName);
      const named = e.details.problems.map((p) => p.elementId).filter(Boolean);
      setStatus(`Deploy refused: ${e.details.problems.length} problem(s)${named.length ? ` at ${[...new Set(named)].join(', ')}` : ''}`, 'error');
    } else {
      setStatus(`Deploy failed: ${e instanceof ApiError ? `${e.code}: ${e.message}` : String(e)}`, 'error');
    }
  }
}

async function applyTemplate(): Promise<void> {
  const [element] = modeler.get<any>('selection').get();
  // Connectors apply to tasks, agents to sub-processes too, webhooks to start, catch and boundary events.
  if (!element || !/(Task|SubProcess|StartEvent|IntermediateCatchEvent|BoundaryEvent)$/.test(element.type)) {
    setStatus('Select a task, sub-process or event first, then choose a template for it.');
    return;
  }
  // bpmn-js-element-templates' service: the properties panel shows an applied template's fields.
  const templates = modeler.get<{ getAll(): unknown[]; set(templates: unknown[]): void }>('elementTemplates');
  if (templates.getAll().length === 0) templates.set((await api.elementTemplates()) as any);
  modeler.get<any>('eventBus').fire('elementTemplates.select', { element });
}

/** The form a user task links to: attached, else deployed, else a new one; saved as a .form attachment. */
async function editTaskForm(): Promise<void> {
  const [element] = modeler.get<any>('selection').get();
  if (!element || element.type !== 'bpmn:UserTask') {
    setStatus('Select a user task first, then edit its form.');
    return;
  }
  const bo = element.businessObject;
  const definition = (bo.extensionElements?.values ?? []).find((v: any) => v.$type === 'zeebe:FormDefinition');
  const formId: string = definition?.formId?.trim() || `${element.id}-form`;
  const attached = attachments.all().find((a) => /\.form$/i.test(a.name) && formIdOf(a.content) === formId);
  const schema = attached ? JSON.parse(attached.content) : ((await api.form(formId))?.schema ?? { id: formId, type: 'default', components: [] });
  $('[data-testid=form-id]').textContent = formId;
  const { editForm } = await import('./form-editor');
  const saved = await editForm($<HTMLDialogElement>('#form-dialog'), { ...schema, id: formId });
  if (!saved) return;
  attachments.add([{ name: attached?.name ?? `${formId}.form`, content: JSON.stringify(saved, null, 2) }]);
  if (definition?.formId !== formId) linkForm(element, formId);
  setStatus(`Form ${formId} will be deployed with the diagram`);
}

/** Sets zeebe:formDefinition formId on a user task (undoable). */
function linkForm(element: any, formId: string): void {
  setZeebeExtension(modeler, element, 'zeebe:FormDefinition', { formId });
}

const actions: Record<string, () => unknown> = {
  // A new diagram has a fresh process id, so no attachments (showDiagramAttachments).
  new: () => open(newDiagramXml(), 'diagram.bpmn', 'as-opened'),
  open: async () => {
    const chosen = await chooseDefinition($<HTMLDialogElement>('#open-dialog'), api);
    if (!chosen) return;
    const text = await api.definitionXml(chosen.key);
    if (await open(text, chosen.resourceName, 'as-opened')) setStatus(`Opened ${chosen.processId} version ${chosen.version}`);
  },
  'download-bpmn': async () => download(current.fileName.endsWith('.bpmn') ? current.fileName : `${current.fileName}.bpmn`, await xml(), 'application/xml'),
  'download-svg': async () => download(current.fileName.replace(/\.(bpmn|xml)$/, '') + '.svg', (await modeler.saveSVG()).svg, 'image/svg+xml'),
  template: applyTemplate,
  form: editTaskForm,
  decision: () => editTaskDecision({ modeler, attachments, api, dialog: $<HTMLDialogElement>('#decision-dialog'), setStatus }),
  deploy,
  start: () => openStartDialog($<HTMLDialogElement>('#start-dialog'), api, current.lastDeployed?.processId ?? processId()),
};

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
  button.addEventListener('click', () => {
    Promise.resolve(actions[button.dataset.action!]()).catch((e) => setStatus(String(e instanceof ApiError ? `${e.code}: ${e.message}` : e), 'error'));
  });
}
$<HTMLInputElement>('input[data-action=import]').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  if (file) await open(await file.text(), file.name, 'nothing');
  input.value = '';
});
$<HTMLInputElement>('input[data-action=attach]').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  attachments.add(await Promise.all([...(input.files ?? [])].map(async (f) => ({ name: f.name, content: await f.text() }))));
  input.value = '';
});
acceptDroppedFiles(document.body, $('.drop-hint'), (name, text) => {
  if (/\.(form|json|dmn)$/i.test(name)) attachments.add([{ name, content: text }]);
  else open(text, name, 'nothing');
});

modeler.get<any>('eventBus').on('commandStack.changed', () => {
  followProcessId();
  persist();
});

/**
 * Another diagram is on the canvas (opened, imported, new, restored, or
 * importXML from devtools): show its own attachments, none of the last one's.
 * `legacy` are a draft's attachments from before they were kept per diagram.
 */
function showDiagramAttachments(legacy: Draft['attachments'] = []): void {
  current.diagramKey = diagramKey();
  if (legacy.length > 0 && !attachmentStore.has(current.diagramKey)) attachmentStore.set(current.diagramKey, legacy);
  attachments.set(attachmentStore.get(current.diagramKey));
  knowAttachedForms();
}

/** The process id was edited: the attachments stay with the diagram. */
function followProcessId(): void {
  const key = diagramKey();
  if (key === current.diagramKey) return;
  attachmentStore.rename(current.diagramKey, key);
  current.diagramKey = key;
}

/** What the diagram's attachments are kept under: its process id (the file name for a file without one). */
function diagramKey(): string {
  return processId() ?? `file:${current.fileName}`;
}

// Templates known from the start (when a token or session is at hand), so the properties panel
// shows the fields of templated tasks in a diagram opened before the Template button is used.
void api.elementTemplatesQuietly().then((known) => {
  const templates = modeler.get<{ getAll(): unknown[]; set(templates: unknown[]): void }>('elementTemplates');
  if (known && templates.getAll().length === 0) templates.set(known);
});

const draft = loadDraft();
let legacyAttachments = draft?.attachments;
// Before bpmnlint's own listener (priority 1000), so its first check knows the diagram's attached forms.
modeler.get<any>('eventBus').on('import.done', 2000, () => {
  showDiagramAttachments(legacyAttachments);
  legacyAttachments = undefined;
});
const ready = (draft ? open(draft.xml, draft.fileName, { baseXml: draft.baseXml }) : Promise.resolve(false)).then(
  (ok) => ok || open(newDiagramXml(), 'diagram.bpmn', 'as-opened'),
);
ready.then(() => performance.mark('weft-modeler-ready'));

declare global {
  interface Window {
    weftModeler: typeof modeler;
    weft: { modeler: typeof modeler; api: ApiClient; problems: ProblemsView; ready: Promise<unknown>; deploy: typeof deploy };
  }
}
// Handles for tests and for the curious (devtools).
window.weftModeler = modeler;
window.weft = { modeler, api, problems, ready, deploy };
