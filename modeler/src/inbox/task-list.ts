/**
 * The list of tasks: one button per task card — the task's name, its
 * process's name (its id when it has none), when it was created, and the
 * variables the process chose for cards — overdue ones marked, new ones
 * flagged for a moment. Completed tasks show when they were completed.
 */
import type { TaskCard } from './api.js';
import { escapeHtml, isOverdue, priorityLabel, shortValue, when } from './format.js';

export function renderTaskList(list: HTMLElement, cards: TaskCard[], selectedId: string | null, fresh: Set<string>): void {
  list.innerHTML = cards.map((c) => card(c, c.id === selectedId, fresh.has(c.id))).join('');
}

/** Appends cards (the completed view's "Show more"). */
export function appendTaskList(list: HTMLElement, cards: TaskCard[]): void {
  list.insertAdjacentHTML('beforeend', cards.map((c) => card(c, false, false)).join(''));
}

function card(t: TaskCard, selected: boolean, fresh: boolean): string {
  const overdue = isOverdue(t);
  const done = t.state !== 'CREATED';
  const classes = ['task-item', overdue ? 'overdue' : '', fresh ? 'fresh' : '', selected ? 'selected' : '', done ? 'done' : ''].filter(Boolean).join(' ');
  const due = t.dueDate && !done ? `<span class="due">${overdue ? '<strong>Overdue</strong> · ' : 'Due '}${escapeHtml(when(t.dueDate))}</span>` : '';
  const time = done && t.completedAt
    ? `<span class="created">Completed <time datetime="${escapeHtml(t.completedAt)}" data-testid="task-completed">${escapeHtml(when(t.completedAt))}</time></span>`
    : `<span class="created">Created <time datetime="${escapeHtml(t.createdAt)}" data-testid="task-created">${escapeHtml(when(t.createdAt))}</time></span>`;
  // Spans, not a <dl>: a button may hold phrasing content only.
  const fields = t.fields.length
    ? `<span class="task-fields" data-testid="task-fields">${t.fields.map((f) => `<span class="task-field"><span class="field-name">${escapeHtml(f.name)}</span> <span class="field-value" data-field="${escapeHtml(f.name)}">${escapeHtml(shortValue(f.value))}</span></span>`).join('')}</span>`
    : '';
  return `<li>
        <button type="button" class="${classes}" data-task-id="${escapeHtml(t.id)}" data-testid="task-item" aria-current="${selected}">
          <span class="task-name">${escapeHtml(t.name ?? t.elementId)}</span>
          <span class="process" data-testid="task-process">${escapeHtml(t.processName ?? t.processId)}</span>
          ${fields}
          <span class="task-meta">
            ${time}
            ${done ? '' : `<span class="priority priority-${priorityLabel(t.priority)}" title="priority ${t.priority}">${priorityLabel(t.priority)}</span>`}
            ${due}
            ${t.assignee || done ? '' : '<span class="claimable">claimable</span>'}
          </span>
        </button>
      </li>`;
}
