/**
 * The Agents view of the operations page (`/operations?view=agents`, issue
 * #12): the agent runs in flight across instances, what each is doing now,
 * its tokens, cost and limits used, each expandable to its transcript; and
 * the kill switches, per agent and for all.
 *
 * Live from the change stream (/api/events): the agent worker names the
 * instance of each journal step and each run it starts or finishes
 * (EngineService.noteChanged), as commits do. A slow poll stays for what
 * no change names (a worker's lease running out, a switch flipped on
 * another engine), and a fast one while the stream is down.
 */
import type { OperationsApi, AgentsBoard, BoardRun } from './api.js';
import { agentOptions, runRowsHtml, switchesHtml } from './agent-view-html.js';
import { renderTranscript } from './agent-runs.js';
import { liveUpdates } from './live-updates.js';
import { text } from './html.js';

/** At most one refresh per this while changes keep coming; the last change is never dropped. */
const REFRESH_MS = 1000;
/** While the stream is connected: for what no change names (a lease that ran out, another engine's switch). */
const SLOW_POLL_MS = 15_000;
/** While the stream is down. */
const FAST_POLL_MS = 2000;
const PAGE = 25;

export async function startAgentView(api: OperationsApi, root: HTMLElement, onForbidden: (root: HTMLElement) => void): Promise<void> {
  const $ = <T extends Element>(selector: string) => root.querySelector(selector) as T;
  const open = new Set<string>();
  const transcripts = new Map<string, string>();
  let offset = 0;
  let runs: BoardRun[] = [];
  let drawn = '';
  let board: AgentsBoard;

  const showError = (where: string, error: unknown) => {
    const el = $<HTMLElement>(where);
    el.hidden = false;
    el.textContent = error instanceof Error ? error.message : String(error);
  };

  async function loadSwitches(): Promise<void> {
    board = await api.agents();
    const html = switchesHtml(board);
    const target = $<HTMLElement>('[data-testid="switches"]');
    if (target.dataset.drawn !== html) {
      target.innerHTML = html;
      target.dataset.drawn = html;
    }
    const select = $<HTMLSelectElement>('[name="agent"]');
    const chosen = select.value;
    const options = agentOptions(board, chosen);
    if (select.dataset.drawn !== options) {
      select.innerHTML = options;
      select.dataset.drawn = options;
    }
  }

  async function loadRuns(): Promise<void> {
    const form = $<HTMLFormElement>('[data-testid="agent-filters"]');
    const data = new FormData(form);
    let page;
    try {
      page = await api.agentBoard({ state: String(data.get('state') ?? ''), agent: String(data.get('agent') ?? ''), limit: PAGE, offset });
      $<HTMLElement>('[data-testid="runs-error"]').hidden = true;
    } catch (error) {
      return showError('[data-testid="runs-error"]', error);
    }
    runs = page.items;
    await Promise.all([...open].filter((id) => runs.some((r) => r.id === id)).map(loadTranscript));
    draw();
    $('[data-testid="agent-page-info"]').textContent = page.total ? `${offset + 1}–${offset + runs.length} of ${page.total}` : '';
    $<HTMLButtonElement>('[data-agent-action="prev"]').disabled = offset === 0;
    $<HTMLButtonElement>('[data-agent-action="next"]').disabled = offset + runs.length >= page.total;
  }

  /** Redrawn only when something changed: a poll must not take the focus from a button being used. */
  function draw(): void {
    const html = runRowsHtml(runs, open, transcripts);
    if (html === drawn) return;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.runId;
    drawn = html;
    $('[data-testid="agent-board"] tbody').innerHTML = html;
    if (focused) root.querySelector<HTMLElement>(`[data-agent-action="transcript"][data-run-id="${CSS.escape(focused)}"]`)?.focus();
  }

  async function loadTranscript(id: string): Promise<void> {
    try {
      transcripts.set(id, renderTranscript(await api.agentTranscript(id)));
    } catch (error) {
      transcripts.set(id, `The transcript could not be loaded: ${text(error instanceof Error ? error.message : String(error))}`);
    }
  }

  async function refresh(): Promise<void> {
    try {
      await loadSwitches();
    } catch (error) {
      showError('[data-testid="switch-error"]', error);
    }
    await loadRuns();
  }

  async function flip(action: 'disable' | 'enable' | 'disable-all' | 'enable-all', name?: string): Promise<void> {
    const question =
      action === 'disable'
        ? `Switch agent "${name}" off? Its runs in flight stop before their next model or tool call; new runs wait until it is switched on again.`
        : action === 'disable-all'
          ? 'Stop all agents? Every run in flight stops before its next model or tool call; new runs wait until agents are started again.'
          : null;
    if (question && !confirm(question)) return;
    const error = $<HTMLElement>('[data-testid="switch-error"]');
    try {
      if (action === 'disable' || action === 'enable') await api.agentSwitch(action, name);
      else await api.agentSwitch(action === 'disable-all' ? 'disable' : 'enable');
      error.hidden = true;
    } catch (e) {
      showError('[data-testid="switch-error"]', e);
    }
    await refresh();
  }

  root.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLElement>('[data-agent-action]');
    if (!button) return;
    const action = button.dataset.agentAction!;
    if (action === 'disable' || action === 'enable' || action === 'disable-all' || action === 'enable-all') return void flip(action, button.dataset.agentName);
    if (action === 'transcript') {
      const id = button.dataset.runId!;
      if (open.has(id)) open.delete(id);
      else open.add(id);
      draw();
      if (open.has(id)) void loadTranscript(id).then(draw);
      return;
    }
    if (action === 'prev' || action === 'next') {
      offset = action === 'prev' ? Math.max(0, offset - PAGE) : offset + PAGE;
      void loadRuns();
    }
  });
  $('[data-testid="agent-filters"]').addEventListener('change', () => {
    offset = 0;
    void loadRuns();
  });
  $('[data-testid="agent-filters"]').addEventListener('submit', (event) => event.preventDefault());

  try {
    await loadSwitches();
    await api.agentBoard({ limit: 1 });
  } catch (error) {
    if ((error as { status?: number }).status === 403) return onForbidden(root);
    throw error;
  }
  await loadRuns();

  // One refresh at a time, at most one per REFRESH_MS (a busy engine names changes every 50 ms); a change
  // that comes meanwhile is kept for one trailing refresh, so the view never stops one change short.
  let busy = false;
  let again = false;
  let last = 0;
  const tick = async (): Promise<void> => {
    if (document.hidden) return;
    if (busy) {
      again = true;
      return;
    }
    const wait = last + REFRESH_MS - Date.now();
    if (wait > 0) {
      again = true;
      busy = true;
      await new Promise((resolve) => window.setTimeout(resolve, wait));
    }
    busy = true;
    again = false;
    await refresh().catch(() => undefined);
    last = Date.now();
    busy = false;
    if (again) void tick();
  };
  let connected = false;
  let polled = Date.now();
  window.setInterval(() => {
    if (Date.now() - polled < (connected ? SLOW_POLL_MS : FAST_POLL_MS)) return;
    polled = Date.now();
    void tick();
  }, FAST_POLL_MS);
  liveUpdates(api, () => void tick(), (live) => {
    connected = live;
    const status = $<HTMLElement>('[data-testid="agent-live-status"]');
    status.textContent = live ? 'Live' : 'Polling';
    status.classList.toggle('offline', !live);
  });
}
