/**
 * "Start instance…": pick a deployed process, write its variables as JSON
 * (checked as you type: Start stays disabled until it is a JSON object),
 * start, and follow the link to the new instance.
 */
import { ApiError, type ApiClient } from './api-client';

/** Why `text` is not a JSON object of variables, or undefined if it is. */
export function variablesError(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'Variables must be a JSON object, e.g. {"amount": 120}';
  return undefined;
}

export async function openStartDialog(dialog: HTMLDialogElement, api: ApiClient, preferredProcessId?: string): Promise<void> {
  const form = dialog.querySelector('form')!;
  const select = form.elements.namedItem('process') as HTMLSelectElement;
  const textarea = form.elements.namedItem('variables') as HTMLTextAreaElement;
  const error = dialog.querySelector<HTMLElement>('[data-testid=start-error]')!;
  const result = dialog.querySelector<HTMLElement>('[data-testid=start-result]')!;
  const submit = dialog.querySelector<HTMLButtonElement>('[data-testid=start-submit]')!;

  const definitions = await api.listDefinitions();
  const latest = new Map<string, number>();
  for (const d of definitions) latest.set(d.processId, Math.max(latest.get(d.processId) ?? 0, d.version));
  select.replaceChildren(
    ...[...latest].map(([processId, version]) => new Option(`${processId} (latest: v${version})`, processId, false, processId === preferredProcessId)),
  );
  result.hidden = true;

  const check = () => {
    const message = latest.size === 0 ? 'Deploy a process first.' : variablesError(textarea.value);
    error.hidden = !message;
    error.textContent = message ?? '';
    textarea.setAttribute('aria-invalid', String(Boolean(message)));
    submit.disabled = Boolean(message);
  };
  textarea.oninput = check;
  check();

  submit.onclick = async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const instance = await api.startInstance({ processId: select.value, variables: JSON.parse(textarea.value.trim() || '{}') });
      const link = document.createElement('a');
      link.href = api.instanceUrl(instance.id);
      link.target = '_blank';
      link.dataset.instanceId = instance.id;
      link.textContent = `Instance ${instance.id}`;
      const json = document.createElement('a');
      json.href = api.instanceJsonUrl(instance.id);
      json.target = '_blank';
      json.textContent = 'JSON';
      result.replaceChildren('Started ', link, ` (${instance.processId} v${instance.version}, ${instance.state}) · `, json);
      result.hidden = false;
    } catch (err) {
      error.hidden = false;
      error.textContent = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
    } finally {
      submit.disabled = false;
    }
  };
  if (!dialog.open) dialog.showModal();
}
