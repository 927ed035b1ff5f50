/**
 * The inbox page: my tasks and the tasks I can claim, with filters, sort and
 * search; new tasks appear without a reload (polling every POLL_MS); the
 * selected task opens beside the list (below it on a phone), and its id is
 * kept in the URL (#task=<id>) so a link opens it.
 */
import './inbox.css';
import { ApiError, InboxApi, signInUrl, type Me, type Task } from './api.js';
import { renderTaskList } from './task-list.js';
import { TaskDetailView } from './task-detail.js';

const POLL_MS = Number(new URLSearchParams(location.search).get('poll')) || 3000;

const api = new InboxApi();
const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const list = $('[data-testid=task-list]');
const status = $('[data-testid=list-status]');
const filters = $<HTMLFormElement>('[data-testid=filters]');

let scope: 'mine' | 'claimable' = 'mine';
let selectedId: string | null = new URLSearchParams(location.hash.slice(1)).get('task');
let known: Set<string> | null = null;
const fresh = new Set<string>();
let tasks: Task[] = [];

function query(forScope: string): Record<string, string> {
  const data = Object.fromEntries(new FormData(filters)) as Record<string, string>;
  const q: Record<string, string> = { scope: forScope, state: 'CREATED', sort: data.sort || 'priority', limit: '200' };
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
    const [current, other] = await Promise.all([api.tasks(query(scope)), api.tasks(query(scope === 'mine' ? 'claimable' : 'mine'))]);
    tasks = current.items;
    $(`[data-count=${scope}]`).textContent = String(current.total);
    $(`[data-count=${scope === 'mine' ? 'claimable' : 'mine'}]`).textContent = String(other.total);
    const all = [...current.items, ...other.items].map((t) => t.id);
    const arrived = known ? all.filter((id) => !known!.has(id)) : [];
    known = new Set([...(known ?? []), ...all]);
    for (const id of arrived) {
      fresh.add(id);
      setTimeout(() => fresh.delete(id), 10_000);
    }
    const focused = (document.activeElement as HTMLElement | null)?.dataset.taskId;
    renderTaskList(list, tasks, selectedId, fresh);
    if (focused) list.querySelector<HTMLElement>(`[data-task-id="${focused}"]`)?.focus();
    status.classList.remove('error');
    status.textContent = tasks.length
      ? arrived.length
        ? `${arrived.length} new task${arrived.length > 1 ? 's' : ''}.`
        : ''
      : scope === 'mine'
        ? 'No tasks are assigned to you. Claim one from "Claimable"; new tasks appear here on their own.'
        : 'Nothing to claim right now. New tasks appear here on their own.';
    list.toggleAttribute('hidden', tasks.length === 0);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    status.classList.add('error');
    status.textContent = `The tasks cannot be loaded (${(error as Error).message}). Trying again…`;
  }
}

function select(id: string | null): void {
  selectedId = id;
  history.replaceState(null, '', id ? `#task=${id}` : location.pathname + location.search);
  renderTaskList(list, tasks, selectedId, fresh);
  if (id) {
    void detail.show(id);
    // On a phone the detail is below the list: bring it into view.
    if (matchMedia('(max-width: 820px)').matches) $('[data-testid=task-detail]').scrollIntoView({ block: 'start' });
  } else detail.clear();
}

function setScope(next: 'mine' | 'claimable'): void {
  scope = next;
  for (const tab of document.querySelectorAll<HTMLElement>('[role=tab]')) {
    const active = tab.dataset.scope === next;
    tab.setAttribute('aria-selected', String(active));
    tab.tabIndex = active ? 0 : -1;
  }
  $('#task-panel').setAttribute('aria-labelledby', `tab-${next}`);
  void refresh();
}

let detail: TaskDetailView;

async function main(): Promise<void> {
  let me: Me;
  try {
    me = await api.me();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) status.textContent = `Weft cannot be reached (${(error as Error).message}).`;
    return;
  }
  if (!me.user && !me.roles.includes('admin')) location.assign(signInUrl());
  $('[data-testid=who]').textContent = me.user ? `${me.user}${me.groups.length ? ` · ${me.groups.join(', ')}` : ''}` : me.id;
  detail = new TaskDetailView($('[data-testid=task-detail]'), api, me, {
    changed: (message, claimed) => {
      const completed = message === 'Task completed.';
      if (completed) selectedId = null;
      status.textContent = message ?? '';
      // A task you claimed is in "My tasks" now: follow it there.
      if (claimed && scope !== 'mine') setScope('mine');
      // After completing, keyboard focus goes on to the next task in the list.
      else void refresh().then(() => completed && list.querySelector<HTMLElement>('[data-task-id]')?.focus());
    },
  });

  api.definitions().then(({ items }: any) => {
    const select = $<HTMLSelectElement>('[data-testid=filter-process]');
    for (const id of [...new Set((items as { processId: string }[]).map((d) => d.processId))].sort()) select.add(new Option(id, id));
  }, () => undefined);

  $('[data-action=sign-out]').addEventListener('click', async () => {
    await api.signOut();
    location.assign('/sign-in');
  });
  for (const tab of document.querySelectorAll<HTMLElement>('[role=tab]')) tab.addEventListener('click', () => setScope(tab.dataset.scope as 'mine' | 'claimable'));
  $('[role=tablist]').addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      setScope(scope === 'mine' ? 'claimable' : 'mine');
      $<HTMLElement>(`[data-scope=${scope}]`).focus();
    }
  });
  filters.addEventListener('input', () => void refresh());
  filters.addEventListener('submit', (e) => e.preventDefault());
  list.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
    if (button) select(button.dataset.taskId!);
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
      const index = tasks.findIndex((t) => t.id === selectedId);
      const next = tasks[Math.max(0, Math.min(tasks.length - 1, index + (e.key === 'j' ? 1 : -1)))];
      if (next) {
        select(next.id);
        list.querySelector<HTMLElement>(`[data-task-id="${next.id}"]`)?.focus();
      }
    }
  });

  window.addEventListener('hashchange', () => {
    const id = new URLSearchParams(location.hash.slice(1)).get('task');
    if (id !== selectedId) select(id);
  });

  await refresh();
  if (selectedId) void detail.show(selectedId);
  setInterval(() => {
    if (!document.hidden) void refresh();
  }, POLL_MS);
}

void main();
