/**
 * Imports a diagram into a bpmn-js viewer; a diagram without layout (BPMN DI)
 * — written by hand or by a tool, like the agents' built-in review process —
 * is laid out with bpmn-auto-layout first.
 */
import { layoutProcess } from 'bpmn-auto-layout';

export async function importDiagram(viewer: { importXML(xml: string): Promise<unknown> }, xml: string): Promise<void> {
  try {
    await viewer.importXML(xml);
  } catch (error) {
    if (!/no diagram to display/i.test(String(error))) throw error;
    await viewer.importXML(await layoutProcess(xml));
  }
}
