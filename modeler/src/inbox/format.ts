/** Small text helpers for the inbox. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function isOverdue(task: { dueDate: string | null; state: string }, now = Date.now()): boolean {
  return task.state === 'CREATED' && task.dueDate !== null && Date.parse(task.dueDate) < now;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function when(iso: string | null): string {
  return iso ? dateFormat.format(new Date(iso)) : '';
}

export function priorityLabel(priority: number): string {
  return priority >= 80 ? 'high' : priority >= 50 ? 'normal' : 'low';
}

/** A variable's value in one short line: strings as they are, anything else as JSON, cut at `max` characters. */
export function shortValue(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
