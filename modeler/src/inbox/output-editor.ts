/**
 * For a task without a form: a structured editor for the output variables —
 * one row per variable with its name, a type (text, number, yes/no, JSON) and
 * its value.
 */
import { escapeHtml } from './format.js';

const TYPES = ['text', 'number', 'boolean', 'json'] as const;
type Type = (typeof TYPES)[number];
const TYPE_LABELS: Record<Type, string> = { text: 'text', number: 'number', boolean: 'yes/no', json: 'JSON' };

export interface OutputEditor {
  /** The variables, or a message naming the first row that is wrong. */
  read(): { ok: true; variables: Record<string, unknown> } | { ok: false; message: string };
}

export function createOutputEditor(container: HTMLElement): OutputEditor {
  container.innerHTML = `
    <fieldset class="output-editor" data-testid="output-editor">
      <legend>Output variables</legend>
      <div class="output-rows"></div>
      <button type="button" data-action="add-variable" data-testid="add-variable">Add a variable</button>
    </fieldset>`;
  const rows = container.querySelector<HTMLElement>('.output-rows')!;
  let counter = 0;

  function addRow(focus: boolean): void {
    const n = ++counter;
    const row = document.createElement('div');
    row.className = 'output-row';
    row.innerHTML = `
      <label>Name <input name="name" data-testid="output-name" autocomplete="off" spellcheck="false" /></label>
      <label>Type <select name="type" data-testid="output-type">${TYPES.map((t) => `<option value="${t}">${escapeHtml(TYPE_LABELS[t])}</option>`).join('')}</select></label>
      <label class="value">Value <span class="value-slot"><input name="value" data-testid="output-value" /></span></label>
      <button type="button" class="remove" aria-label="Remove variable ${n}" data-action="remove">✕</button>`;
    const type = row.querySelector<HTMLSelectElement>('select')!;
    type.addEventListener('change', () => {
      const slot = row.querySelector('.value-slot')!;
      slot.innerHTML =
        type.value === 'boolean'
          ? '<select name="value" data-testid="output-value"><option value="true">yes</option><option value="false">no</option></select>'
          : `<input name="value" data-testid="output-value" ${type.value === 'number' ? 'inputmode="decimal"' : ''} />`;
    });
    row.querySelector('[data-action=remove]')!.addEventListener('click', () => row.remove());
    rows.append(row);
    if (focus) row.querySelector('input')!.focus();
  }

  container.querySelector('[data-action=add-variable]')!.addEventListener('click', () => addRow(true));
  addRow(false);

  return {
    read() {
      const variables: Record<string, unknown> = {};
      for (const row of rows.querySelectorAll<HTMLElement>('.output-row')) {
        const name = row.querySelector<HTMLInputElement>('[name=name]')!.value.trim();
        const type = row.querySelector<HTMLSelectElement>('[name=type]')!.value as Type;
        const raw = row.querySelector<HTMLInputElement | HTMLSelectElement>('[name=value]')!.value;
        if (!name && !raw) continue;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, message: `"${name}" is not a variable name: use letters, digits and _, starting with a letter` };
        if (type === 'number') {
          const number = Number(raw);
          if (raw.trim() === '' || !Number.isFinite(number)) return { ok: false, message: `${name}: "${raw}" is not a number` };
          variables[name] = number;
        } else if (type === 'boolean') {
          variables[name] = raw === 'true';
        } else if (type === 'json') {
          try {
            variables[name] = JSON.parse(raw);
          } catch (error) {
            return { ok: false, message: `${name}: not valid JSON (${(error as Error).message})` };
          }
        } else {
          variables[name] = raw;
        }
      }
      return { ok: true, variables };
    },
  };
}
