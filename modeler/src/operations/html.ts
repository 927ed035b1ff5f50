/** Text made safe for HTML, and the small formats the page uses everywhere. */
export function text(value: unknown): string {
  const span = document.createElement('span');
  span.textContent = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return span.innerHTML;
}

export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
