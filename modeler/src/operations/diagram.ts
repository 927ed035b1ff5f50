/**
 * The instance's diagram: where its tokens are (active, waiting on an
 * incident) and where they have been.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { importDiagram } from '../shared/import-diagram.js';
import type { InstanceDetail } from './api.js';

type Canvas = { addMarker(id: string, cls: string): void; zoom(level: string): void };
type Overlays = { add(id: string, overlay: { position: Record<string, number>; html: string }): void };
type Registry = { get(id: string): unknown };

export interface DiagramView {
  show(xml: string, instance: InstanceDetail): Promise<void>;
  destroy(): void;
}

export function createDiagram(container: HTMLElement): DiagramView {
  const viewer = new NavigatedViewer({ container });
  return {
    async show(xml, instance) {
      await importDiagram(viewer, xml);
      const canvas = viewer.get('canvas') as Canvas;
      const overlays = viewer.get('overlays') as Overlays;
      const registry = viewer.get('elementRegistry') as Registry;
      canvas.zoom('fit-viewport');
      const live = new Map<string, number>();
      const incident = new Set(instance.incidents.filter((i) => i.state === 'OPEN').map((i) => i.elementId));
      const visited = new Set<string>();
      for (const e of instance.elements) {
        visited.add(e.elementId);
        if (e.state !== 'COMPLETED' && e.state !== 'TERMINATED') live.set(e.elementId, (live.get(e.elementId) ?? 0) + 1);
      }
      for (const id of visited) if (registry.get(id)) canvas.addMarker(id, 'weft-visited');
      for (const [id, count] of live) {
        if (!registry.get(id)) continue;
        canvas.addMarker(id, incident.has(id) ? 'weft-incident' : 'weft-active');
        overlays.add(id, {
          position: { bottom: 12, left: -8 },
          html: `<span class="weft-token${incident.has(id) ? ' incident' : ''}" title="${count} token(s)${incident.has(id) ? ', stopped by an incident' : ''}" data-element="${id}">${count}</span>`,
        });
      }
    },
    destroy() {
      viewer.destroy();
    },
  };
}
