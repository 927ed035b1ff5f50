/**
 * One task: what it is, its form (form-js, prefilled from the task's
 * variables; read-only until you claim it) or, without a form, its input
 * variables and a JSON editor for the output; the process diagram with the
 * task highlighted; the instance's recent history; claim, unclaim, complete.
 */
import { Form } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import { ApiError, type InboxApi, type Me, type TaskDetail } from './api.js';
import { showDiagram } from './diagram.js';
import { escapeHtml, isOverdue, priorityLabel, when } from './format.js';
import { isReviewTask, renderReview } from './review-panel.js';
import { createOutputEditor } from './output-editor.js';

export interface DetailCallbacks {
  /** The task changed (claimed, unclaimed, completed): refresh the list. */
  changed(message?: string, claimed?: boolean): void;
}

export class TaskDetailView {
  private cleanup: (() => void)[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly api: InboxApi,
    private readonly me: Me,
    private readonly callbacks: DetailCallbacks,
  ) {}

  clear(html = '<div class="placeholder"><p>Choose a task to work on it.</p></div>'): void {
    for (const fn of this.cleanup.splice(0)) fn();
    this.root.innerHTML = html;
  }

  async show(id: string): Promise<void> {
    this.clear('<p class="loading">Loading the task…</p>');
    let detail: TaskDetail;
    try {
      detail = await this.api.detail(id);
    } catch (error) {
      const message = error instanceof ApiError && error.status === 403 ? 'This task is not yours: it is neither assigned nor offered to you (someone else may have claimed it).' : (error as Error).message;
      this.clear(`<div class="placeholder error" role="alert" data-testid="detail-error"><p>${escapeHtml(message)}</p></div>`);
      return;
    }
    this.render(detail);
  }

  private render({ task, definitionKey, processName, form, history }: TaskDetail): void {
    const mine = task.assignee !== null && task.assignee === this.me.assignee;
    const open = task.state === 'CREATED';
    const overdue = isOverdue(task);
    this.clear(`
      <article class="task" data-testid="task" data-task-id="${task.id}">
        <header class="task-head">
          <h2 tabindex="-1">${escapeHtml(task.name ?? task.elementId)}</h2>
          <p class="task-facts">
            <span data-testid="detail-process">${escapeHtml(processName ?? task.processId)}</span>
            <span>Created ${escapeHtml(when(task.createdAt))}</span>
            <span class="priority priority-${priorityLabel(task.priority)}">priority ${task.priority}</span>
            ${task.dueDate ? `<span class="${overdue ? 'overdue-badge' : ''}" data-testid="due">${overdue ? 'Overdue: was due ' : 'Due '}${escapeHtml(when(task.dueDate))}</span>` : ''}
            <span data-testid="assignee">${task.assignee ? `Claimed by ${escapeHtml(task.assignee === this.me.assignee ? 'you' : task.assignee)}` : 'Not claimed'}</span>
            ${task.state !== 'CREATED' ? `<span>${task.state.toLowerCase()}</span>` : ''}
          </p>
          <div class="actions">
            ${open && !task.assignee ? '<button type="button" class="primary" data-action="claim" data-testid="claim">Claim</button>' : ''}
            ${open && mine ? '<button type="button" data-action="unclaim" data-testid="unclaim">Unclaim</button>' : ''}
          </div>
        </header>
        <p class="task-message" role="alert" data-testid="task-message" hidden></p>
        <section class="task-work" aria-label="Work on the task"></section>
        <div class="task-side">
          <section class="task-diagram-section"><h3>Process</h3><div class="task-diagram" data-testid="diagram"></div></section>
          <section class="task-history"><h3>Recent history</h3>
            <ol data-testid="history">${history
              .map((h) => `<li><time>${escapeHtml(when(h.at))}</time> <span>${escapeHtml(h.type.toLowerCase().replace(/_/g, ' '))}${h.elementId ? ` · ${escapeHtml(h.elementId)}` : ''}</span> <span class="muted">${escapeHtml(h.actor)}</span></li>`)
              .join('')}</ol>
          </section>
        </div>
      </article>`);
    const q = <T extends HTMLElement>(sel: string) => this.root.querySelector<T>(sel)!;
    q('h2').focus();
    q<HTMLButtonElement>('[data-action=claim]')?.addEventListener('click', () => this.act(() => this.api.claim(task.id, this.me.assignee), 'You claimed the task.', task.id, true));
    q<HTMLButtonElement>('[data-action=unclaim]')?.addEventListener('click', () => this.act(() => this.api.unclaim(task.id), 'The task is back in the group.', task.id));
    this.renderWork(q('.task-work'), task, form, open && mine);
    if (definitionKey) {
      const container = q('.task-diagram');
      this.api
        .xml(definitionKey)
        .then((xml) => showDiagram(container, xml, task.elementId))
        .then((destroy) => this.cleanup.push(destroy))
        .catch(() => (container.textContent = 'The diagram cannot be shown.'));
    }
  }

  private renderWork(section: HTMLElement, task: TaskDetail['task'], form: TaskDetail['form'], editable: boolean): void {
    const hint = task.state !== 'CREATED' ? '' : editable ? '' : '<p class="hint">Claim the task to fill in and complete it.</p>';
    if (!form && isReviewTask(task)) {
      renderReview(section, task, editable, (variables) => this.complete(task.id, variables), (message) => this.message(message, true));
      return;
    }
    if (form) {
      section.innerHTML = `<h3>Form</h3>${hint}<div class="form-container" data-testid="form"></div><ul class="field-errors" data-testid="field-errors" hidden></ul>
        ${editable ? '<button type="button" class="primary" data-action="complete" data-testid="complete">Complete</button>' : ''}`;
      const viewer = new Form({ container: section.querySelector<HTMLElement>('.form-container')! });
      this.cleanup.push(() => viewer.destroy());
      viewer.importSchema(form.schema as any, task.variables).then(() => {
        if (!editable) viewer.setProperty('readOnly', true);
      });
      section.querySelector('[data-action=complete]')?.addEventListener('click', () => {
        const { data, errors } = viewer.submit();
        if (Object.keys(errors).length > 0) {
          this.message('Some fields need attention: see the messages next to them.', true);
          section.querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors select, .fjs-has-errors textarea')?.focus();
          return;
        }
        this.complete(task.id, data, form.schema);
      });
      return;
    }
    const inputs = Object.entries(task.variables);
    section.innerHTML = `<h3>Input</h3>${
      inputs.length
        ? `<dl class="variables" data-testid="inputs">${inputs.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(JSON.stringify(v))}</code></dd>`).join('')}</dl>`
        : '<p class="muted">This task has no input variables.</p>'
    }${hint}${
      editable
        ? `<div class="output-slot"></div>
           <ul class="field-errors" data-testid="field-errors" hidden></ul>
           <button type="button" class="primary" data-action="complete" data-testid="complete">Complete</button>`
        : ''
    }`;
    if (!editable) return;
    const editor = createOutputEditor(section.querySelector<HTMLElement>('.output-slot')!);
    section.querySelector('[data-action=complete]')!.addEventListener('click', () => {
      const output = editor.read();
      if (!output.ok) return this.message(output.message, true);
      this.complete(task.id, output.variables);
    });
  }

  private async complete(id: string, variables: Record<string, unknown>, schema?: Record<string, unknown>): Promise<void> {
    const errorsList = this.root.querySelector<HTMLElement>('[data-testid=field-errors]');
    try {
      await this.api.complete(id, variables);
      this.clear(`<div class="placeholder done" role="status" data-testid="completed"><p>Done. The process moves on.</p></div>`);
      this.callbacks.changed('Task completed.');
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && Array.isArray(error.details) && errorsList) {
        // The server checks the form's rules too; show what it refused, by field.
        errorsList.innerHTML = (error.details as { path: string; label?: string; message: string }[])
          .map((d) => `<li><strong>${escapeHtml(d.label ?? labelOf(schema, d.path) ?? d.path)}</strong>: ${escapeHtml(d.message)}</li>`)
          .join('');
        errorsList.hidden = false;
        this.message('The task was not completed: some fields are not accepted.', true);
      } else {
        this.message((error as Error).message, true);
      }
    }
  }

  private async act(action: () => Promise<unknown>, success: string, id: string, claimed = false): Promise<void> {
    try {
      await action();
      this.callbacks.changed(success, claimed);
      await this.show(id);
      this.message(success, false);
    } catch (error) {
      this.message((error as Error).message, true);
    }
  }

  private message(text: string, isError: boolean): void {
    const el = this.root.querySelector<HTMLElement>('[data-testid=task-message]');
    if (!el) return;
    el.textContent = text;
    el.classList.toggle('error', isError);
    el.hidden = false;
  }
}

function labelOf(schema: Record<string, unknown> | undefined, key: string): string | undefined {
  const find = (components: any[]): string | undefined => {
    for (const c of components ?? []) {
      if (c.key === key) return c.label;
      const nested = find(c.components);
      if (nested) return nested;
    }
    return undefined;
  };
  return schema ? find((schema as any).components) : undefined;
}
