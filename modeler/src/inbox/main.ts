/**
 * The inbox page: my tasks, the tasks I can claim and the tasks I completed,
 * with filters, sort and search (done by the server, over the task, its
 * process's name and the values on its card); the tab with work opens first
 * (My tasks when there is any, else Claimable); new tasks appear without a
 * reload (polling every POLL_MS); the selected task opens beside the list
 * (as its own view on a phone, phone-view.ts), and its id is kept in the
 * URL (#task=<id>) so a link opens it.
 */
import './inbox.css';
import { ApiError, InboxApi, type Me, type TaskCard } from './api.js';
import { appendTaskList, renderTaskList } from './task-list.js';
import { TaskDetailView } from './task-detail.js';
import { isPhone, showTaskView } from './phone-view.js';

type Scope = 'mine' | 'claimable' | 'completed';
const POLL_MS = Number(new URLSearchParams(location.search).get('poll')) || 3000;
const COMPLETED_PAGE = 20;

const api = new InboxApi();
const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const page = $('.inbox');
const list = $('[data-testid=task-list]');
const status = $('[data-testid=list-status]');
const filters = $<HTMLFormElement>('[data-testid=filters]');
const more = $<HTMLButtonElement>('[data-testid=more]');

let scope: Scope = 'mine';
/** Until the person picks a tab, the first answer decides which one has the work. */
let scopeChosen = false;
let selectedId: string | null = taskInHash();
/** Whether the open task's history entry is ours (so "back" can simply go back). */
let pushed = false;
let known: Set<string> | null = null;
const fresh = new Set<string>();
let cards: TaskCard[] = [];
let completedShown = 0;

function taskInHash(): string | null {
  return new URLSearchParams(location.hash.slice(1)).get('task');
}

function query(): Record<string, string> {
  const data = Object.fromEntries(new FormData(filters)) as Record<string, string>;
  const q: Record<string, string> = { scope, sort: data.sort || 'priority', limit: '200' };
  if (data.search?.trim()) q.search = data.search.trim();
  if (data.processId) q.processId = data.processId;
  if (data.minPriority) q.minPriority = data.minPriority;
  if (data.due === 'overdue') q.overdue = 'true';
  if (data.due === 'today') q.dueBefore = new Date(new Date().setHours(23, 59, 59, 999)).toISOString();
  if (data.due === 'week') q.dueBefore = new Date(Date.now() + 7 * 86_400_000).toISOString();
  return q;
}

async function refresh(): Promise<void> {
  try {
    if (scope === 'completed') return await refreshCompleted();
    const answer = await api.cards(query());
    $('[data-count=mine]').textContent = String(answer.counts.mine);
    $('[data-count=claimable]').textContent = String(answer.counts.claimable);
    if (!scopeChosen) {
      scopeChosen = true;
      // Nothing of mine, but work waits to be claimed: open there.
      if (answer.counts.mine === 0 && answer.counts.claimable > 0) return setScope('claimable', false);
    }
    cards = answer.items;
    const ids = cards.map((t) => t.id);
    const arrived = known ? ids.filter((id) => !known!.has(id)) : [];
    known = new Set([...(known ?? []), ...ids]);
    for (const id of arrived) {
      fresh.add(id);
      setTimeout(() => fresh.delete(id), 10_000);
    }
    const focused = (document.activeElement as HTMLElement | null)?.dataset.taskId;
    renderTaskList(list, cards, selectedId, fresh);
    if (focused) list.querySelector<HTMLElement>(`[data-task-id="${focused}"]`)?.focus();
    status.classList.remove('error');
    status.textContent = cards.length
      ? arrived.length
        ? `${arrived.length} new task${arrived.length > 1 ? 's' : ''}.`
        : ''
      : query().search
        ? 'No task matches the search.'
        : scope === 'mine'
          ? 'No tasks are assigned to you. Claim one from "Claimable"; new tasks appear here on their own.'
          : 'Nothing to claim right now. New tasks appear here on their own.';
    list.toggleAttribute('hidden', cards.length === 0);
    more.hidden = true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    status.classList.add('error');
    status.textContent = `The tasks cannot be loaded (${(error as Error).message}). Trying again…`;
  }
}

/** The completed view: the first page again (polling keeps it current), more on request. */
async function refreshCompleted(append = false): Promise<void> {
  const offset = append ? completedShown : 0;
  const answer = await api.completed(append ? COMPLETED_PAGE : Math.max(COMPLETED_PAGE, completedShown), offset);
  if (scope !== 'completed') return;
  if (append) appendTaskList(list, answer.items);
  else renderTaskList(list, answer.items, selectedId, new Set());
  completedShown = offset + answer.items.length;
  list.toggleAttribute('hidden', completedShown === 0);
  more.hidden = completedShown >= answer.total;
  status.classList.remove('error');
  status.textContent = answer.total === 0 ? 'You have not completed any task yet.' : `${answer.total} completed by you, newest first.`;
}

function select(id: string | null, how: 'push' | 'replace' = 'replace'): void {
  const previous = selectedId;
  selectedId = id;
  const url = id ? `#task=${id}` : location.pathname + location.search;
  if (how === 'push' && id) {
    history.pushState(null, '', url);
    pushed = true;
  } else history.replaceState(null, '', url);
  for (const item of list.querySelectorAll<HTMLElement>('[data-task-id]')) {
    const current = item.dataset.taskId === id;
    item.classList.toggle('selected', current);
    item.setAttribute('aria-current', String(current));
  }
  showTaskView(page, id !== null);
  if (id) void detail.show(id);
  else {
    detail.clear();
    // Back at the list (a phone's way back, the browser's back): on the card the person came from.
    if (previous && isPhone()) list.querySelector<HTMLElement>(`[data-task-id="${previous}"]`)?.focus();
  }
}

/** Back to the list (the phone's view of it): the browser's own back when the entry is ours. */
function backToList(): void {
  if (pushed) history.back();
  else select(null);
}

function setScope(next: Scope, chosen = true): Promise<void> {
  scope = next;
  scopeChosen ||= chosen;
  completedShown = 0;
  for (const tab of document.querySelectorAll<HTMLElement>('[role=tab]')) {
    const active = tab.dataset.scope === next;
    tab.setAttribute('aria-selected', String(active));
    tab.tabIndex = active ? 0 : -1;
  }
  $('#task-panel').setAttribute('aria-labelledby', `tab-${next}`);
  // The filters choose among open tasks; the completed view is simply the newest first.
  filters.hidden = next === 'completed';
  return refresh();
}

let detail: TaskDetailView;

async function main(): Promise<void> {
  let me: Me;
  try {
    me = await api.me();
  } catch (error) {
    status.textContent = `Weft cannot be reached (${(error as Error).message}).`;
    return;
  }
  $('[data-testid=who]').textContent = me.user ? `${me.user}${me.groups.length ? ` · ${me.groups.join(', ')}` : ''}` : `${me.id} (API token)`;
  detail = new TaskDetailView($('[data-testid=task-detail]'), api, me, {
    changed: (message, claimed) => {
      const completed = message === 'Task completed.';
      status.textContent = message ?? '';
      // A task you claimed is in "My tasks" now: follow it there.
      if (claimed && scope !== 'mine') void setScope('mine');
      // After completing, keyboard focus goes on to the next task in the list (on a desktop, where both are in view).
      else void refresh().then(() => completed && !isPhone() && list.querySelector<HTMLElement>('[data-task-id]')?.focus());
    },
  });

  api.definitions().then(({ items }) => {
    const select = $<HTMLSelectElement>('[data-testid=filter-process]');
    const names = new Map<string, string>();
    for (const d of items) names.set(d.processId, d.name ?? names.get(d.processId) ?? d.processId);
    for (const [id, name] of [...names].sort((a, b) => a[1].localeCompare(b[1]))) select.add(new Option(name === id ? id : `${name} (${id})`, id));
  }, () => undefined);

  $('[data-action=sign-out]').addEventListener('click', async () => {
    await api.signOut();
    location.assign('/sign-in');
  });
  $('[data-action=back]').addEventListener('click', backToList);
  more.addEventListener('click', () => void refreshCompleted(true));
  const tabs = [...document.querySelectorAll<HTMLElement>('[role=tab]')];
  for (const tab of tabs) tab.addEventListener('click', () => void setScope(tab.dataset.scope as Scope));
  $('[role=tablist]').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const index = tabs.findIndex((t) => t.dataset.scope === scope);
    const next = tabs[(index + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    void setScope(next.dataset.scope as Scope);
    next.focus();
  });
  filters.addEventListener('input', () => void refresh());
  filters.addEventListener('submit', (e) => e.preventDefault());
  list.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
    // From the list alone (nothing open yet, as on a phone) a task is a step forward in history.
    if (button) select(button.dataset.taskId!, selectedId === null ? 'push' : 'replace');
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && (e.target as HTMLElement).matches('[data-testid=search]')) {
      // Escape leaves the search box for the list.
      list.querySelector<HTMLElement>('[data-task-id]')?.focus();
      return;
    }
    const typing = (e.target as HTMLElement).closest('input, textarea, select, [contenteditable]');
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '/') {
      e.preventDefault();
      $<HTMLInputElement>('[data-testid=search]').focus();
    } else if (e.key === 'j' || e.key === 'k') {
      const items = [...list.querySelectorAll<HTMLElement>('[data-task-id]')];
      const index = items.findIndex((i) => i.dataset.taskId === selectedId);
      const next = items[Math.max(0, Math.min(items.length - 1, index + (e.key === 'j' ? 1 : -1)))];
      if (next) {
        select(next.dataset.taskId!);
        next.focus();
      }
    }
  });

  // The browser's back and forward (and a link's #task=…) open or close the task.
  const followUrl = () => {
    const id = taskInHash();
    if (id === selectedId) return;
    if (!id) pushed = false;
    select(id);
  };
  window.addEventListener('popstate', followUrl);
  window.addEventListener('hashchange', followUrl);

  await refresh();
  if (selectedId) select(selectedId);
  setInterval(() => {
    if (!document.hidden) void refresh();
  }, POLL_MS);
}

void main();
