/**
 * The form-js editor for the form a user task links to (zeebe:formDefinition
 * formId), with a live preview beside it: the schema as edited, rendered by
 * the same form-js viewer the inbox uses, where the modeler can fill the form
 * in and check it against its own rules (required, patterns, ranges) before
 * anyone gets the task. Loaded on demand (a dynamic import), so the modeler
 * itself stays small. The edited form becomes a .form attachment deployed
 * with the diagram.
 *
 * The preview keeps the bpmn.io watermark form-js renders: form-js's licence
 * requires it to stay fully visible wherever the viewer renders a form.
 *
 * The layout is styled from here (element.style, which the pages'
 * Content-Security-Policy allows) and form-preview.css, so the preview needs
 * nothing of the modeler page's stylesheet.
 */
import { Form, FormEditor } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import './form-preview.css';
import { whenClosed } from './editor-dialog';

export interface FormSchema {
  id: string;
  type: string;
  components: unknown[];
  [key: string]: unknown;
}

/** How long the editor must be still before the preview renders the schema again. */
const PREVIEW_DELAY_MS = 150;

/** Shows `schema` in the editor inside `dialog`; resolves with the edited schema on Save, null on Cancel. */
export async function editForm(dialog: HTMLDialogElement, schema: FormSchema): Promise<FormSchema | null> {
  const container = dialog.querySelector<HTMLElement>('.form-editor')!;
  container.replaceChildren();
  const parts = layout(container);
  const editor = new FormEditor({ container: parts.editor });
  await editor.importSchema(schema);
  (window as unknown as { weftFormEditor?: FormEditor }).weftFormEditor = editor;
  const preview = livePreview(parts);
  await preview.show(editor.saveSchema());
  editor.on('changed', () => preview.showSoon(editor.saveSchema()));
  return whenClosed(
    dialog,
    () => ({ ...(editor.saveSchema() as FormSchema), id: schema.id }) as FormSchema,
    () => {
      preview.destroy();
      editor.destroy();
    },
  );
}

interface Parts {
  editor: HTMLElement;
  form: HTMLElement;
  check: HTMLButtonElement;
  reset: HTMLButtonElement;
  result: HTMLElement;
  data: HTMLElement;
}

/** The editor and, beside it (below it when the dialog is narrow), the preview with its two buttons. */
function layout(container: HTMLElement): Parts {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, style: Partial<CSSStyleDeclaration> = {}, attrs: Record<string, string> = {}) => {
    const node = document.createElement(tag);
    Object.assign(node.style, style);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };
  Object.assign(container.style, { display: 'flex', flexWrap: 'wrap', alignItems: 'stretch' });
  const editor = el('div', { flex: '1 1 640px', minWidth: '0', height: '100%', overflow: 'hidden' });
  const aside = el('section', { flex: '0 1 320px', minWidth: '0', height: '100%', overflow: 'auto', borderLeft: '1px solid var(--border, #ccc)', padding: '0.5rem 0.75rem', boxSizing: 'border-box' }, {
    'aria-labelledby': 'form-preview-title',
    'data-testid': 'form-preview',
  });
  const title = el('h3', { margin: '0.2rem 0 0.1rem', fontSize: '1rem' }, { id: 'form-preview-title' });
  title.textContent = 'Preview';
  const hint = el('p', { margin: '0 0 0.4rem', fontSize: '0.85rem', color: 'var(--muted, #555)' });
  hint.textContent = 'The form as people will see it in the inbox. Fill it in and check it against its rules; it follows your edits.';
  const form = el('div', {}, { 'data-testid': 'form-preview-form' });
  const buttons = el('div', { display: 'flex', gap: '0.5rem', margin: '0.4rem 0' });
  const check = el('button', {}, { type: 'button', 'data-testid': 'form-preview-check' });
  check.textContent = 'Check the form';
  const reset = el('button', {}, { type: 'button', 'data-testid': 'form-preview-reset' });
  reset.textContent = 'Clear';
  buttons.append(check, reset);
  const result = el('p', { margin: '0.3rem 0', fontSize: '0.9rem' }, { role: 'status', 'data-testid': 'form-preview-result' });
  const data = el('pre', { margin: '0', fontSize: '0.8rem', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }, { 'data-testid': 'form-preview-data', 'aria-label': 'The data the form would submit' });
  aside.append(title, hint, form, buttons, result, data);
  container.append(editor, aside);
  return { editor, form, check, reset, result, data };
}

/** A form-js viewer that renders the schema as edited, keeping what was typed into fields that are still there. */
function livePreview(parts: Parts) {
  let viewer: Form | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let rendering = Promise.resolve();
  let shown = '';

  async function show(schema: unknown): Promise<void> {
    // The editor says "changed" for a new selection too: only a changed schema renders again
    // (a new render would take the focus from the field being filled in).
    const text = JSON.stringify(schema);
    if (text === shown) return;
    shown = text;
    const data = viewer ? (viewer._getState().data as Record<string, unknown>) : {};
    viewer?.destroy();
    parts.form.replaceChildren();
    viewer = new Form({ container: parts.form });
    try {
      await viewer.importSchema(schema as any, data);
      parts.result.textContent = '';
    } catch (error) {
      // A half-edited schema form-js cannot render yet: say so, and render it again after the next edit.
      parts.result.textContent = `The preview cannot show this form yet (${(error as Error).message}).`;
    }
    parts.data.textContent = '';
  }

  parts.check.addEventListener('click', () => {
    if (!viewer) return;
    const { data, errors } = viewer.submit();
    const fields = Object.keys(errors);
    parts.result.textContent = fields.length === 0 ? 'The form accepts this data.' : `${fields.length} field${fields.length > 1 ? 's need' : ' needs'} attention: see the messages next to ${fields.length > 1 ? 'them' : 'it'}.`;
    parts.result.dataset.valid = String(fields.length === 0);
    parts.data.textContent = fields.length === 0 ? JSON.stringify(data, null, 2) : '';
  });
  parts.reset.addEventListener('click', () => {
    viewer?.reset();
    parts.result.textContent = '';
    parts.data.textContent = '';
  });

  return {
    show: (schema: unknown) => (rendering = rendering.then(() => show(schema))),
    showSoon(schema: unknown): void {
      clearTimeout(timer);
      timer = setTimeout(() => void (rendering = rendering.then(() => show(schema))), PREVIEW_DELAY_MS);
    },
    destroy(): void {
      clearTimeout(timer);
      viewer?.destroy();
      viewer = null;
    },
  };
}
