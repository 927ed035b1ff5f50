/**
 * The operations page: definitions with their instances counted by state,
 * the instance search, and an open instance (diagram, incidents, variables,
 * audit timeline). Both update live from the server's change stream
 * (live-updates.ts): an event names instances, the page refetches what it
 * shows of them. Batch operations over the search (batch-actions.ts) and
 * their progress (batch-view.ts, in the detail pane) have files of their own.
 * `?view=agents` is the Agents view instead (agent-view.ts): the runs in
 * flight and the kill switches.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './operations.css';
import { ApiError, OperationsApi, type InstanceDetail } from './api.js';
import { createDiagram, type DiagramView } from './diagram.js';
import { wireAgentRuns } from './agent-runs.js';
import { startAgentView } from './agent-view.js';
import { headHtml, sectionsHtml } from './instance-detail.js';
import { PAGE, instanceRows, queryOf, statisticsRows } from './instance-list.js';
import { liveUpdates, type Changed } from './live-updates.js';
import { text } from './html.js';
import { operateKey, pickFromDiagram, renderOperate, takeNotice } from './operate-instance.js';
import { wireBatchActions } from './batch-actions.js';
import { batchView } from './batch-view.js';

const $ = <T extends Element>(selector: string, root: ParentNode = document) => root.querySelector(selector) as T;

const api = new OperationsApi(askToken);
let offset = 0;
let diagram: DiagramView | undefined;
/** The open instance, as last shown. */
let current: InstanceDetail | undefined;
/** Ids in the list as shown: a change to one of them (or a new instance) refreshes it. */
let listed = new Set<string>();
/** What the Modify and Migrate sections were drawn for (operate-instance.ts operateKey). */
let operateShown: string | undefined;
const batches = batchView(api);
const batchActions = wireBatchActions($('[data-testid="batch-bar"]'), $<HTMLDialogElement>('#batch-dialog'), api, (batch) => void showBatches(batch.id));

function askToken(reason?: string): Promise<string> {
  const dialog = $<HTMLDialogElement>('#token-dialog');
  const error = $<HTMLElement>('[data-testid="token-error"]', dialog);
  error.hidden = !reason;
  error.textContent = reason ?? '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve($<HTMLInputElement>('input[name="token"]', dialog).value), { once: true });
  });
}

const selectedId = () => new URLSearchParams(location.search).get('instance');
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function loadStatistics(): Promise<void> {
  const { items } = await api.statistics();
  $('[data-testid="definitions"] tbody').innerHTML = statisticsRows(items);
  const select = $<HTMLSelectElement>('[data-testid="filter-process"]');
  const chosen = select.value;
  const processIds = [...new Set(items.map((d) => d.processId))].sort();
  select.innerHTML = '<option value="">all</option>' + processIds.map((p) => `<option value="${text(p)}">${text(p)}</option>`).join('');
  select.value = processIds.includes(chosen) ? chosen : '';
}

async function loadList(): Promise<void> {
  const form = $<HTMLFormElement>('[data-testid="filters"]');
  const error = $<HTMLElement>('[data-testid="filter-error"]');
  let page;
  const query = queryOf(form, offset);
  try {
    page = await api.instances(query);
    error.hidden = true;
  } catch (e) {
    error.hidden = false;
    error.textContent = message(e);
    // The bar must not act on the search shown before this one failed.
    batchActions.disable('Fix the search first: batch actions act on the search shown, and this one failed.');
    return;
  }
  const { items, total } = page;
  listed = new Set(items.map((i) => i.id));
  $('[data-testid="instances"] tbody').innerHTML = instanceRows(items, selectedId());
  $('[data-testid="page-info"]').textContent = total ? `${offset + 1}–${offset + items.length} of ${total}` : '';
  $<HTMLButtonElement>('[data-action="prev"]').disabled = offset === 0;
  $<HTMLButtonElement>('[data-action="next"]').disabled = offset + items.length >= total;
  batchActions.update(query, total);
  const incidents = (await api.openIncidents()).items.length;
  const banner = $<HTMLButtonElement>('[data-testid="incident-banner"]');
  banner.hidden = incidents === 0;
  banner.textContent = `${incidents} open incident(s)`;
}

/** Shows an instance; `refresh` keeps the diagram's zoom and any variable being typed. */
async function showInstance(id: string, refresh = false): Promise<void> {
  if (!refresh) history.replaceState(null, '', `?instance=${encodeURIComponent(id)}`);
  for (const tr of document.querySelectorAll('[data-instance]')) tr.classList.toggle('selected', tr.getAttribute('data-instance') === id);
  const detail = $<HTMLElement>('[data-testid="detail"]');
  let instance: InstanceDetail;
  let audit, runs;
  try {
    [instance, { items: audit }, runs] = await Promise.all([api.instance(id), api.audit(id), api.agentRuns(id)]);
  } catch (error) {
    detail.innerHTML = `<p class="error" role="alert">${text(message(error))}</p>`;
    diagram?.destroy();
    diagram = undefined;
    current = undefined;
    return;
  }
  if (selectedId() !== id) return; // another instance was chosen meanwhile
  if (!diagram || !refresh || current?.id !== id) {
    diagram?.destroy();
    detail.innerHTML = `<div data-testid="detail-head"></div><div class="diagram" data-testid="diagram"></div><div data-testid="detail-operate"></div><div data-testid="detail-sections"></div>`;
    diagram = createDiagram($('[data-testid="diagram"]', detail));
    diagram.onElementClick((elementId) => pickFromDiagram($('[data-testid="detail-operate"]', detail), elementId));
    operateShown = undefined;
  }
  current = instance;
  $('[data-testid="detail-head"]', detail).innerHTML = headHtml(instance);
  try {
    await diagram.show(instance.definitionKey, () => api.xml(instance.definitionKey), instance);
  } catch (error) {
    $('[data-testid="diagram"]', detail).textContent = `The diagram could not be shown: ${message(error)}`;
  }
  const view = diagram;
  if (operateShown !== operateKey(instance)) {
    operateShown = operateKey(instance);
    renderOperate($('[data-testid="detail-operate"]', detail), instance, {
      api,
      nameOf: (elementId) => view.nameOf(elementId),
      activatable: () => view.activatable(),
      refreshed: () => Promise.all([showInstance(id, true), loadList(), loadStatistics()]).then(() => undefined),
    }, takeNotice());
  }
  const sections = $<HTMLElement>('[data-testid="detail-sections"]', detail);
  // Someone typing a variable keeps what they typed; the refresh waits for them.
  if (refresh && sections.contains(document.activeElement) && document.activeElement?.closest('form')) {
    pendingRefresh = true;
    return;
  }
  const names = diagram;
  // What the operator opened stays open across a live refresh (a run's transcript, the audit's expanded payloads).
  const opened = [...sections.querySelectorAll<HTMLDetailsElement>('details[open]')].map(detailsKey);
  sections.innerHTML = sectionsHtml(instance, audit, runs, (elementId) => names?.nameOf(elementId) ?? elementId);
  wireAgentRuns(sections, api);
  for (const details of sections.querySelectorAll<HTMLDetailsElement>('details')) {
    if (opened.includes(detailsKey(details))) details.open = true;
  }
}

/** The batch operations (one of them, given its id) in the detail pane, instead of an instance. */
async function showBatches(id?: string): Promise<void> {
  history.replaceState(null, '', id ? `?batch=${encodeURIComponent(id)}` : '?batches');
  for (const tr of document.querySelectorAll('[data-instance].selected')) tr.classList.remove('selected');
  diagram?.destroy();
  diagram = undefined;
  current = undefined;
  await batches.show($('[data-testid="detail"]'), id);
  $<HTMLElement>('[data-testid="detail"] h2')?.setAttribute('tabindex', '-1');
  $<HTMLElement>('[data-testid="detail"] h2')?.focus();
}

/** Which <details> this is, across re-renders: a run's id, else its place among the section's details. */
function detailsKey(details: HTMLDetailsElement): string {
  if (details.dataset.run) return `run:${details.dataset.run}`;
  const all = [...(details.closest('[data-testid="detail-sections"]')?.querySelectorAll('details') ?? [])];
  return `at:${all.indexOf(details)}`;
}
let pendingRefresh = false;
document.addEventListener('focusout', () => {
  setTimeout(() => {
    const id = selectedId();
    if (pendingRefresh && id && !document.activeElement?.closest('[data-testid="detail-sections"] form')) {
      pendingRefresh = false;
      void showInstance(id, true);
    }
  });
});

async function act(work: () => Promise<unknown>, id: string): Promise<void> {
  try {
    await work();
  } catch (error) {
    alert(message(error));
  }
  // The change stream would bring this too; the operator should not wait for it.
  await Promise.all([loadList(), showInstance(id, true), loadStatistics()]);
}

async function resolveIncident(button: HTMLElement, instanceId: string): Promise<void> {
  const incidentId = button.getAttribute('data-resolve')!;
  const jobKey = button.getAttribute('data-job');
  const retries = document.querySelector<HTMLInputElement>(`[data-retries-for="${CSS.escape(incidentId)}"]`);
  await act(async () => {
    if (jobKey && retries) await api.jobRetries(jobKey, Math.max(1, Number(retries.value) || 1));
    await api.resolve(incidentId);
  }, instanceId);
}

async function saveVariable(form: HTMLFormElement, instanceId: string): Promise<void> {
  const data = new FormData(form);
  const error = $<HTMLElement>('[data-testid="variable-error"]', form);
  const name = String(data.get('name') ?? '').trim();
  let value: unknown;
  try {
    value = JSON.parse(String(data.get('value') ?? ''));
  } catch {
    error.hidden = false;
    error.textContent = 'Value: write JSON — a number (42), a quoted string ("gold"), true, null, [..] or {..}.';
    return;
  }
  try {
    await api.updateVariables(instanceId, { scopeKey: form.getAttribute('data-edit-scope')!, variables: { [name]: value }, reason: String(data.get('reason') ?? '') });
  } catch (e) {
    error.hidden = false;
    error.textContent = message(e);
    return;
  }
  pendingRefresh = false;
  (document.activeElement as HTMLElement | null)?.blur();
  await showInstance(instanceId, true);
}

// ------------------------------------------------------------ live updates

/**
 * Throttled, not debounced: on a busy engine changes arrive every flush
 * (50 ms), and a debounce would never fire. Each view refetches at most
 * once per interval, with what is true when it fires.
 */
function throttled(work: () => Promise<unknown>, everyMs: number): () => void {
  let timer: number | undefined;
  return () => {
    timer ??= window.setTimeout(() => {
      timer = undefined;
      void work().catch(() => undefined);
    }, everyMs);
  };
}
const refreshList = throttled(() => loadList(), 300);
const refreshStatistics = throttled(() => loadStatistics(), 1000);
const refreshDetail = throttled(async () => {
  const id = selectedId();
  if (id) await showInstance(id, true);
}, 300);

function onChange(change: Changed): void {
  const id = selectedId();
  const all = 'all' in change;
  if (id && (all || change.ids.includes(id) || (current && change.ids.some((c) => current!.children.some((k) => k.id === c))))) refreshDetail();
  // A new instance may match the search, so on the first page any change refreshes the list.
  if (all || change.ids.some((c) => listed.has(c)) || offset === 0) refreshList();
  refreshStatistics();
}

function liveStatus(connected: boolean): void {
  const status = $<HTMLElement>('[data-testid="live-status"]');
  status.textContent = connected ? 'Live' : 'Reconnecting…';
  status.classList.toggle('offline', !connected);
}

// ------------------------------------------------------------ events

document.addEventListener('click', (event) => {
  const target = event.target as HTMLElement;
  const id = selectedId();
  const open = target.closest('[data-open-instance]');
  if (open) {
    event.preventDefault();
    return void showInstance(open.getAttribute('data-open-instance')!);
  }
  const batch = target.closest('[data-open-batch]');
  if (batch || target.closest('[data-open-batches]')) {
    event.preventDefault();
    return void showBatches(batch?.getAttribute('data-open-batch') ?? undefined);
  }
  const rowEl = target.closest('[data-instance]');
  if (rowEl) return void showInstance(rowEl.getAttribute('data-instance')!);
  const definition = target.closest('[data-definition]');
  if (definition) return void chooseDefinition(definition);
  const resolve = target.closest<HTMLElement>('[data-resolve]');
  if (resolve && id) return void resolveIncident(resolve, id);
  const action = target.closest('[data-action]')?.getAttribute('data-action');
  if (action === 'cancel' && id && confirm('Cancel this instance? Its jobs and tasks are canceled.')) return void act(() => api.cancel(id), id);
  if (action === 'prev') {
    offset = Math.max(0, offset - PAGE);
    return void loadList();
  }
  if (action === 'next') {
    offset += PAGE;
    return void loadList();
  }
  if (action === 'show-incidents') {
    $<HTMLFormElement>('[data-testid="filters"]').reset();
    $<HTMLSelectElement>('[name="hasIncident"]').value = 'true';
    offset = 0;
    return void loadList();
  }
  if (action === 'clear') {
    $<HTMLFormElement>('[data-testid="filters"]').reset();
    offset = 0;
    return void loadList();
  }
});

function chooseDefinition(row: Element): void {
  const form = $<HTMLFormElement>('[data-testid="filters"]');
  $<HTMLSelectElement>('[name="processId"]', form).value = row.getAttribute('data-definition')!;
  $<HTMLInputElement>('[name="version"]', form).value = row.getAttribute('data-version')!;
  offset = 0;
  void loadList();
}

document.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  const target = event.target as HTMLElement;
  const rowEl = target.closest?.('tr[data-instance]');
  const definition = target.closest?.('tr[data-definition]');
  if (!rowEl && !definition) return;
  event.preventDefault();
  if (rowEl) void showInstance(rowEl.getAttribute('data-instance')!);
  else chooseDefinition(definition!);
});
document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  const id = selectedId();
  if (form.matches('[data-edit-scope]') && id) {
    event.preventDefault();
    void saveVariable(form, id);
  }
  if (form.matches('[data-testid="filters"]')) {
    event.preventDefault();
    offset = 0;
    void loadList();
  }
});
$('[data-testid="filters"]').addEventListener('change', (event) => {
  // Selects apply at once; text fields on Enter or "Search".
  if ((event.target as HTMLElement).tagName !== 'SELECT') return;
  offset = 0;
  void loadList();
});

// ------------------------------------------------------------ start

/** A plain user: say so on the page, not with an empty table and the reason in the console. */
function needsOperator(root: Element): void {
  root.innerHTML = `<section class="needs-role" role="alert" data-testid="needs-operator">
    <h2>This page is for operators</h2>
    <p>The operations page needs the <strong>operator</strong> or <strong>admin</strong> role, and your account has neither.
    Your tasks are in the <a href="/inbox">inbox</a>; an administrator can give you the operator role.</p></section>`;
}

async function start(): Promise<void> {
  const view = new URLSearchParams(location.search).get('view') === 'agents' ? 'agents' : 'instances';
  for (const link of document.querySelectorAll('[data-view-link]')) {
    if (link.getAttribute('data-view-link') === view) link.setAttribute('aria-current', 'page');
  }
  if (view === 'agents') {
    $<HTMLElement>('main.ops').hidden = true;
    const root = $<HTMLElement>('[data-testid="agent-view"]');
    root.hidden = false;
    return startAgentView(api, root, needsOperator);
  }
  try {
    await loadStatistics();
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      // A plain user: say so on the page, not with an empty table and the reason in the console.
      $('[data-testid="open-batches"]')?.remove();
      return needsOperator($('main.ops'));
    }
    throw error;
  }
  await loadList();
  const params = new URLSearchParams(location.search);
  const selected = selectedId();
  if (selected) await showInstance(selected);
  else if (params.has('batch') || params.has('batches')) await showBatches(params.get('batch') ?? undefined);
  liveUpdates(api, onChange, liveStatus);
}
await start();
