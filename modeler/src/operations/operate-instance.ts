/**
 * Changing a running instance from its detail: "Modify" moves or cancels the
 * token of an active element (with a reason, kept in the audit), "Migrate"
 * rebinds the instance to another version of its process after a dry run
 * showed what becomes of each token. The API's answer or refusal is shown in
 * place; on success the caller refreshes the detail.
 */
import type { InstanceDetail, MigrationAnswer, OperationsApi } from './api.js';
import { text } from './html.js';
import { isFlowNodeElement } from './flow-nodes.js';

export interface OperateDeps {
  api: OperationsApi;
  nameOf: (elementId: string) => string;
  activatable: () => { id: string; name: string }[];
  /** Refreshes the detail after a change the engine accepted. */
  refreshed: () => Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Element ids with a live token (not the process itself). */
export function activeElementIds(instance: InstanceDetail): string[] {
  const live = instance.elements.filter((e) => e.state !== 'COMPLETED' && e.state !== 'TERMINATED' && e.elementId !== instance.processId);
  return [...new Set(live.map((e) => e.elementId))];
}

/** Flow-node ids of a definition's XML: what a mapping may name as its target. */
export function flowNodeIds(xml: string): string[] {
  return flowNodes(xml).map((n) => n.id);
}

/** A definition's flow nodes with their BPMN type (the element's local name) and name, in document order. */
export function flowNodes(xml: string): { id: string; type: string; name: string }[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const nodes: { id: string; type: string; name: string }[] = [];
  for (const el of doc.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/MODEL', '*')) {
    const id = el.getAttribute('id');
    if (id && isFlowNodeElement(el.localName)) nodes.push({ id, type: el.localName, name: el.getAttribute('name') || id });
  }
  return nodes;
}

/** The signature of what the sections show: a live refresh that changes none of it keeps what the operator typed. */
export function operateKey(instance: InstanceDetail): string {
  return `${instance.id}|${instance.definitionKey}|${instance.state}|${activeElementIds(instance).join(',')}`;
}

export function renderOperate(root: HTMLElement, instance: InstanceDetail, deps: OperateDeps, notice?: string): void {
  if (instance.state !== 'ACTIVE') {
    // Nothing left to modify; a change that ended the instance (its last token canceled) is still said.
    root.innerHTML = notice ? `<p data-testid="modify-status" role="status">${text(notice)}</p>` : '';
    return;
  }
  const active = activeElementIds(instance);
  const option = (id: string, name: string) => `<option value="${text(id)}">${text(name)}${name === id ? '' : ` (${text(id)})`}</option>`;
  root.innerHTML = `<section aria-labelledby="modify-title" data-testid="modify"><h3 id="modify-title">Modify</h3>
      <p class="hint">Pick an active element (or click it on the diagram) and where its token should go.</p>
      <form class="operate" data-testid="modify-form" aria-label="Move or cancel a token">
        <label>Token at <select name="from" data-testid="modify-from" required>${active.map((id) => option(id, deps.nameOf(id))).join('')}</select></label>
        <label>Move to <select name="to" data-testid="modify-to" required>${deps.activatable().map((e) => option(e.id, e.name)).join('')}</select></label>
        <label>Reason <input name="reason" data-testid="modify-reason" required placeholder="why (kept in the audit)" autocomplete="off"></label>
        <button type="submit" data-op="move" class="primary">Move token</button>
        <button type="submit" data-op="cancel" class="danger">Cancel token</button>
      </form>
      <p data-testid="modify-status" role="status">${text(notice ?? '')}</p>
      <p class="error" data-testid="modify-error" role="alert" hidden></p>
    </section>
    <section aria-labelledby="migrate-title" data-testid="migrate"><h3 id="migrate-title">Migrate</h3>
      <form class="operate" data-testid="migrate-form" aria-label="Migrate to another version">
        <label>To version <select name="target" data-testid="migrate-target"><option value="">loading…</option></select></label>
        <table class="mappings" data-testid="mappings"><thead><tr><th scope="col">Active element</th><th scope="col">Maps to</th></tr></thead><tbody></tbody></table>
        <button type="button" data-op="dry-run">Dry run</button>
        <button type="button" data-op="migrate" class="primary" disabled>Migrate</button>
      </form>
      <div data-testid="migrate-status" role="status"></div>
      <p class="error" data-testid="migrate-error" role="alert" hidden></p>
    </section>`;
  wireModify(root, instance, deps);
  void wireMigrate(root, instance, active, deps);
}

function wireModify(root: HTMLElement, instance: InstanceDetail, deps: OperateDeps): void {
  const form = root.querySelector<HTMLFormElement>('[data-testid="modify-form"]')!;
  const status = root.querySelector<HTMLElement>('[data-testid="modify-status"]')!;
  const error = root.querySelector<HTMLElement>('[data-testid="modify-error"]')!;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const op = (event.submitter as HTMLElement | null)?.getAttribute('data-op');
    const data = new FormData(form);
    const from = String(data.get('from') ?? '');
    const to = String(data.get('to') ?? '');
    const instruction = op === 'cancel' ? { type: 'cancel' as const, elementId: from } : { type: 'move' as const, fromElementId: from, toElementId: to };
    error.hidden = true;
    status.textContent = 'Sending…';
    try {
      await deps.api.modify(instance.id, { instructions: [instruction], reason: String(data.get('reason') ?? '') });
    } catch (e) {
      status.textContent = '';
      error.hidden = false;
      error.textContent = message(e);
      return;
    }
    (document.activeElement as HTMLElement | null)?.blur();
    lastNotice = op === 'cancel' ? `Canceled the token at ${deps.nameOf(from)}.` : `Moved the token from ${deps.nameOf(from)} to ${deps.nameOf(to)}.`;
    await deps.refreshed();
  });
}

/** What the last accepted change said, shown again after the refresh re-draws the sections. */
let lastNotice: string | undefined;
export function takeNotice(): string | undefined {
  const notice = lastNotice;
  lastNotice = undefined;
  return notice;
}

/** Picks an element clicked on the diagram as the token to move, when it has one. */
export function pickFromDiagram(root: HTMLElement, elementId: string): void {
  const select = root.querySelector<HTMLSelectElement>('[data-testid="modify-from"]');
  if (select && [...select.options].some((o) => o.value === elementId)) select.value = elementId;
}

async function wireMigrate(root: HTMLElement, instance: InstanceDetail, active: string[], deps: OperateDeps): Promise<void> {
  const target = root.querySelector<HTMLSelectElement>('[data-testid="migrate-target"]')!;
  const rows = root.querySelector<HTMLElement>('[data-testid="mappings"] tbody')!;
  const status = root.querySelector<HTMLElement>('[data-testid="migrate-status"]')!;
  const error = root.querySelector<HTMLElement>('[data-testid="migrate-error"]')!;
  const apply = root.querySelector<HTMLButtonElement>('[data-op="migrate"]')!;
  const fail = (e: unknown) => {
    status.textContent = '';
    error.hidden = false;
    error.textContent = message(e);
  };
  let versions;
  try {
    versions = (await deps.api.definitions()).items.filter((d) => d.processId === instance.processId && d.key !== instance.definitionKey).sort((a, b) => b.version - a.version);
  } catch (e) {
    return fail(e);
  }
  target.innerHTML = versions.length ? versions.map((d) => `<option value="${text(d.key)}">v${d.version}</option>`).join('') : '<option value="">no other version</option>';
  const fillMappings = async () => {
    apply.disabled = true;
    status.textContent = '';
    error.hidden = true;
    if (!target.value) return void (rows.innerHTML = '');
    let ids: string[];
    try {
      ids = flowNodeIds(await deps.api.xml(target.value));
    } catch (e) {
      return fail(e);
    }
    rows.innerHTML = active
      .map((source) => {
        const options = ['<option value="">— no mapping —</option>', ...ids.map((id) => `<option value="${text(id)}"${id === source ? ' selected' : ''}>${text(id)}</option>`)].join('');
        return `<tr><th scope="row">${text(deps.nameOf(source))}</th><td><select data-map-from="${text(source)}" aria-label="Target of ${text(source)}">${options}</select></td></tr>`;
      })
      .join('');
  };
  const send = async (dryRun: boolean): Promise<MigrationAnswer | undefined> => {
    const mappings = [...rows.querySelectorAll<HTMLSelectElement>('select[data-map-from]')]
      .filter((s) => s.value)
      .map((s) => ({ sourceElementId: s.getAttribute('data-map-from')!, targetElementId: s.value }));
    error.hidden = true;
    try {
      return await deps.api.migrate(instance.id, { targetDefinitionKey: target.value, mappings, dryRun });
    } catch (e) {
      apply.disabled = true;
      fail(e);
      return undefined;
    }
  };
  target.addEventListener('change', () => void fillMappings());
  rows.addEventListener('change', () => (apply.disabled = true)); // a changed mapping needs a new dry run
  root.querySelector('[data-op="dry-run"]')!.addEventListener('click', async () => {
    const answer = await send(true);
    if (!answer) return;
    status.innerHTML = `<p>Dry run to v${answer.targetVersion}: nothing changed yet.</p><ul data-testid="migrate-plan">${answer.elements
      .map((e) => `<li>${text(e.sourceElementId)} → ${text(e.targetElementId)} · ${text(e.kind)} · wait ${text(e.waitState)}</li>`)
      .join('')}</ul>`;
    apply.disabled = false;
  });
  apply.addEventListener('click', async () => {
    const answer = await send(false);
    if (!answer) return;
    lastNotice = `Migrated to v${answer.targetVersion}.`;
    await deps.refreshed();
  });
  await fillMappings();
}
