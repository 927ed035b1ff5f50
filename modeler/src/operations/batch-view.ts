/**
 * The "Batch operations" view, shown in the detail pane: the batches newest
 * first (kind, who, when, state, a progress bar of done/failed/skipped of
 * total), and one batch's detail with the outcome of each instance (paged,
 * by outcome), a link to each instance and a "Stop" for a running batch.
 *
 * Live by polling, not the change stream: an item that fails changes no
 * instance, so the stream would not tell of it. The poll runs every second
 * only while a batch on screen is RUNNING, the view is shown and the tab is
 * visible; it redraws only what changed, so focus and the screen reader's
 * place are kept, and the progress text is an aria-live region.
 */
import type { BatchItem, BatchItemState, BatchOperation, OperationsApi, Page } from './api.js';
import { describeFilter, instances, splitFailure } from './batch-filter.js';
import { text, when } from './html.js';

const POLL_MS = 1000;
const ITEMS_PAGE = 50;
const KIND_NAMES: Record<string, string> = { cancel: 'Cancel', retry: 'Retry incidents', migrate: 'Migrate' };

export interface BatchView {
  /** Shows the list (no id) or one batch in `root`. */
  show(root: HTMLElement, id?: string): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The progress bar: one segment per outcome, and the same in words for assistive technology. */
export function progressHtml(b: BatchOperation, live = false): string {
  const pct = (n: number) => (b.total ? (100 * n) / b.total : 0).toFixed(2);
  const worked = b.done + b.failed + b.skipped;
  const words = progressText(b);
  return `<div class="batch-progress" role="progressbar" aria-label="Progress" aria-valuemin="0" aria-valuemax="${b.total}" aria-valuenow="${worked}" aria-valuetext="${text(words)}">
      <span class="seg done" style="width:${pct(b.done)}%"></span><span class="seg failed" style="width:${pct(b.failed)}%"></span><span class="seg skipped" style="width:${pct(b.skipped)}%"></span>
    </div><p class="batch-progress-text" data-testid="batch-progress"${live ? ' aria-live="polite"' : ''}>${text(words)}</p>`;
}

export function progressText(b: BatchOperation): string {
  return `${b.done + b.failed + b.skipped} of ${b.total} worked: ${b.done} done, ${b.failed} failed, ${b.skipped} skipped${b.pending ? `, ${b.pending} pending` : ''}`;
}

const stateBadge = (state: string) => `<span class="state batch-state-${text(state.toLowerCase())}" data-testid="batch-state">${text(state)}</span>`;

function listHtml(page: Page<BatchOperation>): string {
  if (page.items.length === 0) return '<p class="empty">No batch operation yet. Search for instances, then use the batch actions under the search.</p>';
  return `<ul class="batch-list" data-testid="batch-list">${page.items
    .map(
      (b) => `<li data-batch="${text(b.id)}"><a href="?batch=${encodeURIComponent(b.id)}" data-open-batch="${text(b.id)}"><strong>${text(KIND_NAMES[b.kind] ?? b.kind)}</strong> · ${instances(b.total)}</a> ${stateBadge(b.state)}
        <small class="hint">by ${text(b.actor)}, ${when(b.createdAt)}</small>${progressHtml(b)}</li>`,
    )
    .join('')}</ul>`;
}

function parametersHtml(b: BatchOperation): string {
  const p = b.parameters as { retries?: number; targetDefinitionKey?: string; mappings?: { sourceElementId: string; targetElementId: string }[] };
  if (b.kind === 'retry') return p.retries ? `<dt>Job attempts</dt><dd>${p.retries}</dd>` : '';
  if (b.kind !== 'migrate') return '';
  const maps = (p.mappings ?? []).map((m) => `${text(m.sourceElementId)} → ${text(m.targetElementId)}`).join(', ') || 'none';
  return `<dt>Target</dt><dd><code>${text(p.targetDefinitionKey)}</code></dd><dt>Mapping</dt><dd>${maps}</dd>`;
}

function headHtml(b: BatchOperation): string {
  return `<div class="detail-head"><h2 id="batch-title">${text(KIND_NAMES[b.kind] ?? b.kind)} · ${instances(b.total)}</h2> ${stateBadge(b.state)}
      ${b.state === 'RUNNING' ? '<button type="button" class="danger" data-action="stop-batch">Stop</button>' : ''}</div>
    <dl class="facts"><dt>By</dt><dd>${text(b.actor)}</dd><dt>Made</dt><dd>${when(b.createdAt)}</dd>${b.endedAt ? `<dt>Ended</dt><dd>${when(b.endedAt)}</dd>` : ''}
      ${b.canceledBy ? `<dt>Stopped by</dt><dd>${text(b.canceledBy)}</dd>` : ''}<dt>Search</dt><dd>${text(describeFilter(b.filter).join(' · '))}</dd>
      ${b.reason ? `<dt>Reason</dt><dd>${text(b.reason)}</dd>` : ''}${parametersHtml(b)}</dl>`;
}

function itemsHtml(page: Page<BatchItem>): string {
  if (page.items.length === 0) return '<tr><td colspan="4" class="empty">No instance with this outcome.</td></tr>';
  return page.items
    .map((item) => {
      const failure = item.state === 'failed' ? splitFailure(item.message) : undefined;
      const said = failure ? `${failure.code ? `<code data-testid="item-code">${text(failure.code)}</code> ` : ''}${text(failure.message)}` : text(item.message ?? '');
      return `<tr data-item="${text(item.instanceId)}" class="item-${item.state}"><td><a href="?instance=${encodeURIComponent(item.instanceId)}" data-open-instance="${text(item.instanceId)}"><code>${text(item.instanceId.slice(0, 8))}</code></a></td>
        <td><span class="state item-state-${item.state}" data-testid="item-state">${item.state}</span></td><td data-testid="item-message">${said}</td><td>${item.attempts}</td></tr>`;
    })
    .join('');
}

export function batchView(api: OperationsApi): BatchView {
  let timer: number | undefined;
  /** Bumped by each show(): a poll of a view no longer shown stops. */
  let generation = 0;

  const schedule = (work: () => Promise<boolean>, mine: number) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      if (mine !== generation) return;
      // A hidden tab asks nothing; it looks again when shown.
      if (document.hidden) return void document.addEventListener('visibilitychange', () => mine === generation && schedule(work, mine), { once: true });
      const again = await work().catch(() => true);
      if (again && mine === generation) schedule(work, mine);
    }, POLL_MS);
  };

  const showList = async (root: HTMLElement, mine: number) => {
    root.innerHTML = `<h2 id="batches-title">Batch operations</h2><div data-testid="batches" aria-labelledby="batches-title"></div>`;
    const box = root.querySelector<HTMLElement>('[data-testid="batches"]')!;
    let shown = '';
    const draw = async () => {
      const page = await api.batches({ limit: 50, offset: 0 });
      const html = listHtml(page);
      if (html !== shown && root.contains(box)) box.innerHTML = shown = html;
      return page.items.some((b) => b.state === 'RUNNING');
    };
    if (await draw()) schedule(draw, mine);
  };

  const showOne = async (root: HTMLElement, id: string, mine: number) => {
    let itemState: BatchItemState | undefined;
    let offset = 0;
    root.innerHTML = `<p><a href="?batches" data-open-batches>‹ All batch operations</a></p>
      <section aria-labelledby="batch-title" data-testid="batch-detail"><div data-testid="batch-head"></div><div data-testid="batch-progress-box"></div>
      <p class="error" role="alert" data-testid="batch-error" hidden></p>
      <h3 id="outcomes-title">Outcome per instance</h3>
      <div class="batch-items-bar"><label>Show <select data-testid="item-filter"><option value="">all</option><option value="failed">failed</option><option value="done">done</option><option value="skipped">skipped</option><option value="pending">pending</option></select></label>
        <button type="button" data-items="prev">‹ Previous</button><span data-testid="items-info"></span><button type="button" data-items="next">Next ›</button></div>
      <table class="instances batch-items" data-testid="batch-items" aria-labelledby="outcomes-title"><thead><tr><th scope="col">Instance</th><th scope="col">Outcome</th><th scope="col">What happened</th><th scope="col">Attempts</th></tr></thead><tbody></tbody></table></section>`;
    const $ = <T extends Element>(s: string) => root.querySelector<T>(s)!;
    const drawn = { head: '', progress: '', items: '' };
    const set = (key: keyof typeof drawn, el: Element, html: string) => {
      if (drawn[key] !== html) el.innerHTML = drawn[key] = html;
    };
    const progressBox = $<HTMLElement>('[data-testid="batch-progress-box"]');
    const draw = async () => {
      const b = await api.batch(id, { itemState, limit: ITEMS_PAGE, offset });
      if (!root.contains(progressBox)) return false;
      set('head', $('[data-testid="batch-head"]'), headHtml(b));
      // The live region is drawn once and its text changed in place: a region replaced is not announced.
      if (!drawn.progress) set('progress', progressBox, progressHtml(b, true));
      else {
        const bar = progressBox.querySelector<HTMLElement>('.batch-progress')!;
        const fresh = new DOMParser().parseFromString(progressHtml(b), 'text/html').querySelector('.batch-progress')!;
        bar.replaceWith(fresh);
        const words = progressText(b);
        const live = progressBox.querySelector<HTMLElement>('[data-testid="batch-progress"]')!;
        if (live.textContent !== words) live.textContent = words;
      }
      set('items', $('[data-testid="batch-items"] tbody'), itemsHtml(b.items));
      $('[data-testid="items-info"]').textContent = b.items.total ? `${offset + 1}–${offset + b.items.items.length} of ${b.items.total}` : '';
      $<HTMLButtonElement>('[data-items="prev"]').disabled = offset === 0;
      $<HTMLButtonElement>('[data-items="next"]').disabled = offset + b.items.items.length >= b.items.total;
      return b.state === 'RUNNING' || b.pending > 0;
    };
    const redraw = async () => {
      try {
        if ((await draw()) && mine === generation) schedule(draw, mine);
      } catch (error) {
        const e = $<HTMLElement>('[data-testid="batch-error"]');
        e.hidden = false;
        e.textContent = message(error);
      }
    };
    $('[data-testid="item-filter"]').addEventListener('change', (event) => {
      itemState = ((event.target as HTMLSelectElement).value || undefined) as BatchItemState | undefined;
      offset = 0;
      void redraw();
    });
    root.addEventListener('click', async (event) => {
      const target = event.target as HTMLElement;
      const pager = target.closest('[data-items]')?.getAttribute('data-items');
      if (pager) {
        offset = pager === 'next' ? offset + ITEMS_PAGE : Math.max(0, offset - ITEMS_PAGE);
        return void redraw();
      }
      if (target.closest('[data-action="stop-batch"]') && confirm('Stop this batch operation? Instances not yet worked are skipped; what was done stays done.')) {
        try {
          await api.stopBatch(id);
        } catch (error) {
          const e = $<HTMLElement>('[data-testid="batch-error"]');
          e.hidden = false;
          e.textContent = message(error);
        }
        void redraw();
      }
    });
    await redraw();
  };

  return {
    async show(root, id) {
      const mine = ++generation;
      window.clearTimeout(timer);
      // A fresh element each time: the listeners of a view shown before go with it.
      const view = document.createElement('div');
      view.dataset.testid = 'batch-view';
      root.replaceChildren(view);
      try {
        await (id ? showOne(view, id, mine) : showList(view, mine));
      } catch (error) {
        view.innerHTML = `<p class="error" role="alert">${text(message(error))}</p>`;
      }
    },
  };
}
