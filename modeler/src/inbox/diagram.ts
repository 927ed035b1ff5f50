/** The task's process diagram (bpmn-js viewer) with the task's element highlighted. */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { importDiagram } from '../shared/import-diagram.js';

type Canvas = { addMarker(id: string, cls: string): void; zoom(level: string, center?: unknown): void };
type Registry = { get(id: string): unknown };

export async function showDiagram(container: HTMLElement, xml: string, elementId: string): Promise<() => void> {
  const viewer = new NavigatedViewer({ container });
  await importDiagram(viewer, xml);
  const canvas = viewer.get('canvas') as Canvas;
  canvas.zoom('fit-viewport', 'auto');
  if ((viewer.get('elementRegistry') as Registry).get(elementId)) canvas.addMarker(elementId, 'weft-current-task');
  return () => viewer.destroy();
}
