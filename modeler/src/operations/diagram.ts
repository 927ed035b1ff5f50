/**
 * The instance's diagram, fitted to its box: where its tokens are (active,
 * stopped by an incident), the path taken (elements completed, flows taken),
 * how often each element ran, and zoom in / out / fit buttons. The diagram
 * is imported once per definition; a refresh only redraws the markers, so
 * a live update does not reset the operator's zoom.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { importDiagram } from '../shared/import-diagram.js';
import type { InstanceDetail } from './api.js';
import { isFlowNode } from './flow-nodes.js';

type Canvas = { addMarker(id: string, cls: string): void; removeMarker(id: string, cls: string): void; zoom(level?: string | number, center?: unknown): number };
type Overlays = { add(id: string, type: string, overlay: { position: Record<string, number>; html: string }): void; remove(filter: { type: string }): void };
type BusinessObject = { id?: string; name?: string; $type?: string; $parent?: { $type?: string } };
type Registry = { get(id: string): { businessObject?: BusinessObject } | undefined; getAll(): { id: string; businessObject?: BusinessObject }[] };
type EventBus = { on(event: string, listener: (e: { element: { id: string } }) => void): void };

/** Where a token may be put: tasks, events (not boundary events, nor a subprocess's start), gateways, subprocesses. */
export function isActivatable(bo: BusinessObject | undefined): boolean {
  const type = bo?.$type ?? '';
  if (type === 'bpmn:BoundaryEvent') return false;
  if (type === 'bpmn:StartEvent' && bo?.$parent?.$type === 'bpmn:SubProcess') return false;
  return isFlowNode(type);
}

const MARKERS = ['weft-visited', 'weft-active', 'weft-incident', 'weft-taken'];
const ZOOM_STEP = 1.25;

export interface DiagramView {
  /** Imports the definition's XML (when it is not the one shown) and marks the instance on it. */
  show(definitionKey: string, xml: () => Promise<string>, instance: InstanceDetail): Promise<void>;
  /** The element's name, or its id when it has none (or the diagram does not know it). */
  nameOf(elementId: string): string;
  /** The elements a token may be moved to, in diagram order. */
  activatable(): { id: string; name: string }[];
  /** Calls back with the id of an element the operator clicked. */
  onElementClick(listener: (elementId: string) => void): void;
  destroy(): void;
}

export function createDiagram(box: HTMLElement): DiagramView {
  // The buttons sit above the canvas, not on it: zoomed in, the diagram would cover them.
  box.innerHTML = `<div class="zoom" role="group" aria-label="Zoom">
      <button type="button" data-zoom="in" aria-label="Zoom in" title="Zoom in">+</button>
      <button type="button" data-zoom="out" aria-label="Zoom out" title="Zoom out">−</button>
      <button type="button" data-zoom="fit" aria-label="Fit the diagram" title="Fit">Fit</button>
    </div>
    <div class="diagram-canvas" data-testid="diagram-canvas"></div>`;
  const viewer = new NavigatedViewer({ container: box.querySelector<HTMLElement>('.diagram-canvas')! });
  const canvas = viewer.get('canvas') as Canvas;
  const overlays = viewer.get('overlays') as Overlays;
  const registry = viewer.get('elementRegistry') as Registry;
  let shown: string | undefined;

  box.querySelector('.zoom')!.addEventListener('click', (event) => {
    const which = (event.target as HTMLElement).closest('[data-zoom]')?.getAttribute('data-zoom');
    if (which === 'fit') canvas.zoom('fit-viewport', 'auto');
    else if (which === 'in') canvas.zoom(canvas.zoom() * ZOOM_STEP, 'auto');
    else if (which === 'out') canvas.zoom(canvas.zoom() / ZOOM_STEP, 'auto');
  });

  const mark = (instance: InstanceDetail) => {
    for (const { id } of registry.getAll()) for (const cls of MARKERS) canvas.removeMarker(id, cls);
    overlays.remove({ type: 'weft' });
    const live = new Map<string, number>();
    const incident = new Set(instance.incidents.filter((i) => i.state === 'OPEN').map((i) => i.elementId));
    for (const e of instance.elements) {
      if (!registry.get(e.elementId)) continue;
      canvas.addMarker(e.elementId, 'weft-visited');
      if (e.state !== 'COMPLETED' && e.state !== 'TERMINATED') live.set(e.elementId, (live.get(e.elementId) ?? 0) + 1);
    }
    for (const flow of instance.flowsTaken) if (registry.get(flow)) canvas.addMarker(flow, 'weft-taken');
    for (const [id, count] of Object.entries(instance.activations)) {
      if (!registry.get(id)) continue;
      overlays.add(id, 'weft', { position: { top: -10, right: 10 }, html: `<span class="weft-count" title="ran ${count} time(s)" data-count="${id}">${count}</span>` });
    }
    for (const id of incident) {
      if (!registry.get(id)) continue;
      canvas.addMarker(id, 'weft-incident');
      overlays.add(id, 'weft', { position: { top: -12, left: -12 }, html: `<span class="weft-incident-badge" title="open incident" data-incident-marker="${id}">!</span>` });
    }
    for (const [id, count] of live) {
      if (!registry.get(id)) continue;
      if (!incident.has(id)) canvas.addMarker(id, 'weft-active');
      overlays.add(id, 'weft', {
        position: { bottom: 12, left: -8 },
        html: `<span class="weft-token${incident.has(id) ? ' incident' : ''}" title="${count} token(s)${incident.has(id) ? ', stopped by an incident' : ''}" data-element="${id}">${count}</span>`,
      });
    }
  };

  return {
    async show(definitionKey, xml, instance) {
      if (shown !== definitionKey) {
        await importDiagram(viewer, await xml());
        shown = definitionKey;
        canvas.zoom('fit-viewport', 'auto');
      }
      mark(instance);
    },
    nameOf(elementId) {
      return registry.get(elementId)?.businessObject?.name?.trim() || elementId;
    },
    activatable() {
      return registry
        .getAll()
        .filter((e) => e.businessObject?.id === e.id && isActivatable(e.businessObject)) // not the labels
        .map((e) => ({ id: e.id, name: e.businessObject?.name?.trim() || e.id }));
    },
    onElementClick(listener) {
      (viewer.get('eventBus') as EventBus).on('element.click', (e) => listener(e.element.id));
    },
    destroy() {
      viewer.destroy();
    },
  };
}
