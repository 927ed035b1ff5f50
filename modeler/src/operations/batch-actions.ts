/**
 * Batch actions over the instance list's current search (issue #12):
 * "Cancel", "Retry incidents" and "Migrate" act on the whole search result,
 * not the rows on screen. Each opens a confirmation dialog that counts the
 * instances afresh (the search API's total), says what will happen to them,
 * takes a reason for the audit (and the kind's parameters) and makes the
 * batch; the engine then works it in the background (batch-view.ts shows it).
 *
 * The bar says why an action is not offered: no criterion (the API refuses a
 * batch over every instance), no match, or a role that may not (OPERATORS).
 */
import { type BatchFilter, type BatchKind, type BatchOperation, type CreateBatch, type OperationsApi } from './api.js';
import { batchFilterOf, describeFilter, hasCriterion, instances, singleVersion } from './batch-filter.js';
import { renderMigrationFields, type MigrationChoice } from './batch-migrate.js';
import type { InstanceQuery } from './api.js';
import { text } from './html.js';
import { MAX_BATCH_ITEMS } from '../../../engine/features/batch-operations/batch-wire.js';

/** The most instances one batch may hold (engine/features/batch-operations/batch-settings.ts). */

const TITLES: Record<BatchKind, string> = { cancel: 'Cancel instances', retry: 'Retry incidents', migrate: 'Migrate instances' };

export interface BatchActions {
  /** The search the list shows now, and how many instances it matched. */
  update(query: InstanceQuery, total: number): void;
  /** The list's search failed: no action until it is fixed, with why. */
  disable(reason: string): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function wireBatchActions(root: HTMLElement, dialog: HTMLDialogElement, api: OperationsApi, created: (batch: BatchOperation) => void): BatchActions {
  const hint = root.querySelector<HTMLElement>('[data-testid="batch-bar-hint"]')!;
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('[data-batch-kind]')];
  let filter: BatchFilter = {};

  const update = (query: InstanceQuery, total: number) => {
    filter = batchFilterOf(query);
    const why = !hasCriterion(filter)
      ? 'Batch actions act on a search: set at least one filter first (a batch over every instance is not offered).'
      : total === 0
        ? 'No instance matches this search.'
        : `Acts on all ${instances(total)} of this search, not only this page.`;
    hint.textContent = why;
    for (const button of buttons) {
      button.disabled = !hasCriterion(filter) || total === 0;
      if (button.dataset.batchKind === 'migrate' && !button.disabled && !singleVersion(filter)) {
        button.disabled = true;
        hint.textContent = `${why} Migrate needs the search narrowed to one process and one version (choose a Process and a Version, or a version under Definitions).`;
      }
    }
  };

  root.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-batch-kind]');
    if (button && !button.disabled) void open(button.dataset.batchKind as BatchKind, button);
  });

  /**
   * The dialog element is reused: a count that finishes after its dialog was
   * closed (and maybe opened again for another kind) must not touch it.
   */
  let opened = 0;

  const open = async (kind: BatchKind, opener: HTMLElement) => {
    const mine = ++opened;
    const current = () => mine === opened && dialog.open;
    const snapshot = { ...filter };
    const form = dialog.querySelector('form')!;
    const body = dialog.querySelector<HTMLElement>('[data-testid="batch-dialog-body"]')!;
    const error = dialog.querySelector<HTMLElement>('[data-testid="batch-dialog-error"]')!;
    const confirm = dialog.querySelector<HTMLButtonElement>('[data-testid="batch-confirm"]')!;
    dialog.querySelector('#batch-dialog-title')!.textContent = TITLES[kind];
    error.hidden = true;
    confirm.disabled = true;
    confirm.className = kind === 'cancel' ? 'danger' : 'primary';
    confirm.textContent = TITLES[kind];
    body.innerHTML = `<p data-testid="batch-summary" aria-live="polite">Counting the instances of this search…</p>
      <p class="hint">Search: ${text(describeFilter(snapshot).join(' · '))}</p>
      ${kind === 'retry' ? '<label>Attempts for each failed job <input name="retries" type="number" min="1" max="1000000" value="1" required data-testid="batch-retries"></label>' : ''}
      <div data-testid="batch-migrate-fields"></div>
      <label>Reason <small class="hint">(optional, kept in the audit)</small> <input name="reason" maxlength="1000" autocomplete="off" data-testid="batch-reason"></label>`;
    dialog.showModal();

    let count = 0;
    let migration: (() => MigrationChoice | undefined) | undefined;
    const ready = () => {
      confirm.disabled = count === 0 || count > MAX_BATCH_ITEMS || (kind === 'migrate' && !migration?.());
    };
    const submit = async (event: SubmitEvent) => {
      if ((event.submitter as HTMLButtonElement | null)?.value !== 'confirm') return; // Close: the dialog closes itself
      event.preventDefault();
      const data = new FormData(form);
      const reason = String(data.get('reason') ?? '').trim();
      const request: CreateBatch = { kind, filter: snapshot, ...(reason ? { reason } : {}) };
      if (kind === 'retry') request.retries = Number(data.get('retries'));
      if (kind === 'migrate') Object.assign(request, migration?.());
      confirm.disabled = true;
      error.hidden = true;
      try {
        const batch = await api.createBatch(request);
        dialog.close();
        created(batch);
      } catch (e) {
        error.hidden = false;
        error.textContent = message(e);
        confirm.disabled = false;
      }
    };
    form.addEventListener('submit', submit);
    dialog.addEventListener(
      'close',
      () => {
        form.removeEventListener('submit', submit);
        if (opener.isConnected && document.activeElement === document.body) opener.focus();
      },
      { once: true },
    );
    // The listeners are in place before the counting: a dialog closed while it counts leaves none behind.
    // After every await: is this still the dialog on screen? (A later open() owns it otherwise.)
    try {
      // Both counts at once: how many the search matches, and how many of them the kind acts on now.
      const [matched, acting] = await Promise.all([countOf(snapshot), actingOn(kind, snapshot)]);
      if (!current()) return;
      count = matched;
      body.querySelector<HTMLElement>('[data-testid="batch-summary"]')!.innerHTML = summaryOf(kind, count, acting ?? count);
      confirm.textContent = kind === 'retry' ? `Retry incidents of ${instances(count)}` : `${kind === 'cancel' ? 'Cancel' : 'Migrate'} ${instances(count)}`;
      if (kind === 'migrate') {
        const fields = body.querySelector<HTMLElement>('[data-testid="batch-migrate-fields"]')!;
        const choice = await renderMigrationFields(fields, api, singleVersion(snapshot)!, () => current() && ready());
        if (!current()) return;
        migration = choice;
      }
    } catch (e) {
      if (!current()) return;
      error.hidden = false;
      error.textContent = message(e);
    }
    ready();
  };

  const countOf = async (f: BatchFilter) => (await api.instances({ ...f, limit: 1, offset: 0 })).total;

  /**
   * How many of the search's instances the kind acts on now (with an open
   * incident for a retry, active ones otherwise): undefined when the search
   * itself says it (all of them), 0 when it rules them out.
   */
  const actingOn = async (kind: BatchKind, f: BatchFilter): Promise<number | undefined> => {
    const [key, value] = kind === 'retry' ? (['hasIncident', 'true'] as const) : (['state', 'ACTIVE'] as const);
    if (f[key] === undefined) return countOf({ ...f, [key]: value });
    return f[key] === value ? undefined : 0;
  };

  /** What the batch will do, to how many: with how many of them it will really act on (active ones, ones with an incident). */
  const summaryOf = (kind: BatchKind, count: number, acting: number): string => {
    if (count > MAX_BATCH_ITEMS) return `<strong>${instances(count)}</strong> match this search; one batch takes at most ${MAX_BATCH_ITEMS}. Narrow the search first.`;
    if (count === 0) return 'No instance matches this search any more.';
    const of = `<strong>${instances(count)}</strong>`;
    if (kind === 'retry') {
      return `Retries the open incidents of the ${of} of this search (${acting} with an open incident now): each incident's job gets the attempts below and runs again. Instances without an open incident are skipped; ended ones fail.`;
    }
    const active = acting;
    if (kind === 'cancel') return `Cancels the ${of} of this search (${active} active now): their jobs, tasks and timers are canceled. This cannot be undone. Instances that have ended are skipped.`;
    return `Migrates the ${of} of this search (${active} active now) to the version you choose, with the mapping below. Instances that have ended are skipped.`;
  };

  return {
    update,
    disable(reason) {
      for (const button of buttons) button.disabled = true;
      hint.textContent = reason;
    },
  };
}

