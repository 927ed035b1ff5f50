/**
 * dmn-js for the decision of a business rule task: the file's decision
 * tables, literal expressions and requirements diagram, one view at a time
 * (a button per view). Loaded on demand (a dynamic import), so the modeler
 * itself stays small. Version tags (zeebe:versionTag) are kept.
 */
import DmnModeler from 'dmn-js/lib/Modeler';
import zeebe from 'zeebe-dmn-moddle/resources/zeebe.json';
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import { whenClosed } from './editor-dialog';

interface View {
  type: string;
  element: { id: string; name?: string };
}

/** Shows `xml` in dmn-js inside `dialog`, at `decisionId`; resolves with the edited XML on Save, null on Cancel. */
export async function editDecision(dialog: HTMLDialogElement, xml: string, decisionId: string): Promise<string | null> {
  const container = dialog.querySelector<HTMLElement>('.decision-editor')!;
  const nav = dialog.querySelector<HTMLElement>('.decision-views')!;
  container.replaceChildren();
  if (!dialog.open) dialog.showModal();
  const modeler = new DmnModeler({ container, moddleExtensions: { zeebe } });
  (window as unknown as { weftDecisionEditor?: unknown }).weftDecisionEditor = modeler;
  const renderViews = () => {
    const active: View | undefined = modeler.getActiveView();
    nav.replaceChildren(
      ...(modeler.getViews() as View[]).map((view) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = view.type === 'drd' ? 'Requirements' : view.element.name || view.element.id;
        button.dataset.view = view.type === 'drd' ? 'drd' : view.element.id;
        button.setAttribute('aria-pressed', String(active?.element.id === view.element.id && active?.type === view.type));
        button.onclick = () => void modeler.open(view);
        return button;
      }),
    );
  };
  modeler.on('views.changed', renderViews);
  try {
    await modeler.importXML(xml);
    const views = modeler.getViews() as View[];
    const decision = views.find((v) => v.type !== 'drd' && v.element.id === decisionId);
    if (decision) await modeler.open(decision);
  } catch (e) {
    container.textContent = `This .dmn file cannot be opened: ${(e as Error).message}`;
  }
  return whenClosed(dialog, async () => (await modeler.saveXML({ format: true })).xml as string, () => modeler.destroy());
}
