/**
 * The form-js editor for the form a user task links to (zeebe:formDefinition
 * formId). Loaded on demand (a dynamic import), so the modeler itself stays
 * small. The edited form becomes a .form attachment deployed with the diagram.
 */
import { FormEditor } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import { whenClosed } from './editor-dialog';

export interface FormSchema {
  id: string;
  type: string;
  components: unknown[];
  [key: string]: unknown;
}

/** Shows `schema` in the editor inside `dialog`; resolves with the edited schema on Save, null on Cancel. */
export async function editForm(dialog: HTMLDialogElement, schema: FormSchema): Promise<FormSchema | null> {
  const container = dialog.querySelector<HTMLElement>('.form-editor')!;
  container.replaceChildren();
  const editor = new FormEditor({ container });
  await editor.importSchema(schema);
  (window as unknown as { weftFormEditor?: FormEditor }).weftFormEditor = editor;
  return whenClosed(dialog, () => ({ ...(editor.saveSchema() as FormSchema), id: schema.id }) as FormSchema, () => editor.destroy());
}
