/**
 * Fitting the canvas to its diagram, and telling the canvas when its box
 * changes size. diagram-js measures its container only when told
 * (`canvas.resized()`), and nothing tells it when the page's layout (not the
 * window) resizes it: it then keeps a stale size, fits to it, and the palette
 * does not switch to two columns when the canvas gets short.
 */
interface Canvas {
  zoom(level?: number | 'fit-viewport', center?: 'auto' | { x: number; y: number }): number;
  resized(): void;
}

/** Shows the whole diagram, centred, never zoomed in beyond 100 %. */
export function fitDiagram(canvas: Canvas): void {
  canvas.resized();
  const zoom = canvas.zoom('fit-viewport', 'auto');
  // A zoom that is not a number comes from a container without a size yet.
  if (!(zoom <= 1)) canvas.zoom(1, 'auto');
}

/** Calls `canvas.resized()` whenever `container` changes size. */
export function followContainerSize(canvas: Canvas, container: HTMLElement): void {
  new ResizeObserver(() => canvas.resized()).observe(container);
}
