/**
 * The operations page: instances with their state, tokens on the diagram,
 * variables, incidents (resolve) and the audit trail; cancel an instance.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './operations.css';
import { ApiError, OperationsApi, type AuditEntry, type InstanceDetail, type InstanceSummary } from './api.js';
import { createDiagram, type DiagramView } from './diagram.js';
import { agentRunsSection, wireAgentRuns } from './agent-runs.js';
import type { AgentRunSummary } from './api.js';

const PAGE = 25;
const $ = <T extends Element>(selector: string, root: ParentNode = document) => root.querySelector(selector) as T;

const api = new OperationsApi(askToken);
let offset = 0;
let diagram: DiagramView | undefined;

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

function text(value: string | null | undefined): string {
  const span = document.createElement('span');
  span.textContent = value ?? '';
  return span.innerHTML;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

async function loadFilters(): Promise<void> {
  const { items } = await api.definitions();
  const select = $<HTMLSelectElement>('[data-testid="filter-process"]');
  for (const processId of [...new Set(items.map((d) => d.processId))].sort()) {
    select.add(new Option(processId, processId));
  }
}

async function loadList(): Promise<void> {
  const form = $<HTMLFormElement>('[data-testid="filters"]');
  const data = new FormData(form);
  const { items, total } = await api.instances({ processId: String(data.get('processId') ?? ''), state: String(data.get('state') ?? ''), limit: PAGE, offset });
  const body = $<HTMLTableSectionElement>('[data-testid="instances"] tbody');
  body.innerHTML = items.length
    ? items.map((i) => row(i)).join('')
    : '<tr><td colspan="3" class="empty">No instances match.</td></tr>';
  $('[data-testid="page-info"]').textContent = total ? `${offset + 1}–${offset + items.length} of ${total}` : '';
  $<HTMLButtonElement>('[data-action="prev"]').disabled = offset === 0;
  $<HTMLButtonElement>('[data-action="next"]').disabled = offset + items.length >= total;
  const incidents = (await api.openIncidents()).items;
  const banner = $<HTMLElement>('[data-testid="incident-banner"]');
  banner.hidden = incidents.length === 0;
  banner.textContent = `${incidents.length} open incident(s)`;
}

function row(i: InstanceSummary): string {
  const selected = new URLSearchParams(location.search).get('instance') === i.id;
  return `<tr data-instance="${text(i.id)}" tabindex="0" class="${selected ? 'selected' : ''}">
    <td><strong>${text(i.processId)}</strong> <small>v${i.version}</small>${i.businessKey ? `<br><small>${text(i.businessKey)}</small>` : ''}</td>
    <td><span class="state state-${text(i.state.toLowerCase())}">${text(i.state)}</span></td>
    <td><small>${when(i.createdAt)}</small></td></tr>`;
}

async function showInstance(id: string): Promise<void> {
  history.replaceState(null, '', `?instance=${encodeURIComponent(id)}`);
  for (const tr of document.querySelectorAll('[data-instance]')) tr.classList.toggle('selected', tr.getAttribute('data-instance') === id);
  const detail = $<HTMLElement>('[data-testid="detail"]');
  let instance: InstanceDetail;
  let audit: AuditEntry[];
  let runs: AgentRunSummary[];
  try {
    [instance, { items: audit }, runs] = await Promise.all([api.instance(id), api.audit(id), api.agentRuns(id)]);
  } catch (error) {
    detail.innerHTML = `<p class="error">${text(error instanceof ApiError ? error.message : String(error))}</p>`;
    return;
  }
  diagram?.destroy();
  detail.innerHTML = `
    <header class="detail-head">
      <h2>${text(instance.processId)} <small>v${instance.version}</small></h2>
      <span class="state state-${text(instance.state.toLowerCase())}" data-testid="instance-state">${text(instance.state)}</span>
      <span class="spacer"></span>
      ${instance.state === 'ACTIVE' ? '<button type="button" data-action="cancel" class="danger">Cancel instance</button>' : ''}
    </header>
    <dl class="facts">
      <dt>Id</dt><dd><code>${text(instance.id)}</code></dd>
      <dt>Business key</dt><dd>${text(instance.businessKey) || '—'}</dd>
      <dt>Started</dt><dd>${when(instance.createdAt)}</dd>
      <dt>Ended</dt><dd>${when(instance.endedAt)}</dd>
    </dl>
    <div class="diagram" data-testid="diagram"></div>
    <section aria-labelledby="incidents-title"><h3 id="incidents-title">Incidents</h3>
      <ul class="incidents" data-testid="incidents">${
        instance.incidents.length
          ? instance.incidents
              .map(
                (i) => `<li class="${i.state === 'OPEN' ? 'open' : ''}"><strong>${text(i.elementId)}</strong> · ${text(i.type)} · ${text(i.state)}
                  <p>${text(i.message)}</p>
                  ${i.state === 'OPEN' ? `<button type="button" data-resolve="${text(i.id)}">Resolve and retry</button>` : ''}</li>`,
              )
              .join('')
          : '<li class="empty">None.</li>'
      }</ul>
    </section>
    ${agentRunsSection(runs)}
    <section aria-labelledby="variables-title"><h3 id="variables-title">Variables</h3>
      <pre class="variables" data-testid="variables">${text(JSON.stringify(instance.variables, null, 2))}</pre>
    </section>
    <section aria-labelledby="audit-title"><h3 id="audit-title">Audit trail</h3>
      <table class="audit" data-testid="audit"><thead><tr><th>Time</th><th>Event</th><th>Element</th><th>Actor</th><th>Details</th></tr></thead><tbody>${audit
        .map(
          (e) => `<tr><td><small>${new Date(e.at).toLocaleTimeString()}</small></td><td>${text(e.type)}</td><td>${text(e.elementId)}</td><td>${text(e.actor)}</td>
            <td><code>${text(e.payload ? JSON.stringify(e.payload) : '')}</code></td></tr>`,
        )
        .join('')}</tbody></table>
    </section>`;
  wireAgentRuns(detail, api);
  diagram = createDiagram($('[data-testid="diagram"]', detail));
  try {
    await diagram.show(await api.xml(instance.definitionKey), instance);
  } catch (error) {
    $('[data-testid="diagram"]', detail).textContent = `The diagram could not be shown: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function act(work: () => Promise<unknown>, id: string): Promise<void> {
  try {
    await work();
  } catch (error) {
    alert(error instanceof Error ? error.message : String(error));
  }
  await Promise.all([loadList(), showInstance(id)]);
}

document.addEventListener('click', (event) => {
  const target = event.target as HTMLElement;
  const current = new URLSearchParams(location.search).get('instance');
  const rowEl = target.closest('[data-instance]');
  if (rowEl) return void showInstance(rowEl.getAttribute('data-instance')!);
  const resolve = target.closest('[data-resolve]');
  if (resolve && current) return void act(() => api.resolve(resolve.getAttribute('data-resolve')!), current);
  const action = target.closest('[data-action]')?.getAttribute('data-action');
  if (action === 'cancel' && current && confirm('Cancel this instance? Its jobs and tasks are canceled.')) return void act(() => api.cancel(current), current);
  if (action === 'refresh') return void loadList();
  if (action === 'prev') {
    offset = Math.max(0, offset - PAGE);
    return void loadList();
  }
  if (action === 'next') {
    offset += PAGE;
    return void loadList();
  }
});
document.addEventListener('keydown', (event) => {
  const rowEl = (event.target as HTMLElement).closest?.('[data-instance]');
  if (rowEl && (event.key === 'Enter' || event.key === ' ')) {
    event.preventDefault();
    void showInstance(rowEl.getAttribute('data-instance')!);
  }
});
$('[data-testid="filters"]').addEventListener('change', () => {
  offset = 0;
  void loadList();
});

await loadFilters();
await loadList();
const selected = new URLSearchParams(location.search).get('instance');
if (selected) await showInstance(selected);
// Instances move on their own: keep the list fresh.
setInterval(() => void loadList().catch(() => undefined), 5000);
