declare module 'bpmn-auto-layout' {
  /** Adds BPMN DI (a layout) to a diagram that has none; resolves with the laid-out XML. */
  export function layoutProcess(xml: string): Promise<string>;
}
