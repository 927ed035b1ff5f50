/** The list of tasks: one button per task, overdue ones marked, new ones flagged for a moment. */
import type { Task } from './api.js';
import { escapeHtml, isOverdue, priorityLabel, when } from './format.js';

export function renderTaskList(list: HTMLElement, tasks: Task[], selectedId: string | null, fresh: Set<string>): void {
  list.innerHTML = tasks
    .map((t) => {
      const overdue = isOverdue(t);
      const classes = ['task-item', overdue ? 'overdue' : '', fresh.has(t.id) ? 'fresh' : '', t.id === selectedId ? 'selected' : ''].filter(Boolean).join(' ');
      const due = t.dueDate ? `<span class="due">${overdue ? '<strong>Overdue</strong> · ' : 'Due '}${escapeHtml(when(t.dueDate))}</span>` : '';
      return `<li>
        <button type="button" class="${classes}" data-task-id="${t.id}" data-testid="task-item" aria-current="${t.id === selectedId}">
          <span class="task-name">${escapeHtml(t.name ?? t.elementId)}</span>
          <span class="task-meta">
            <span class="process">${escapeHtml(t.processId)}</span>
            <span class="priority priority-${priorityLabel(t.priority)}" title="priority ${t.priority}">${priorityLabel(t.priority)}</span>
            ${due}
            ${t.assignee ? '' : '<span class="claimable">claimable</span>'}
          </span>
        </button>
      </li>`;
    })
    .join('');
}
