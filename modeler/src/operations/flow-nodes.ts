/**
 * Which elements are flow nodes, from the compiler's own list
 * (engine/model/supported-elements.ts, plain data without imports), not a
 * guess by name: a plain task, an ad-hoc sub-process or a transaction is one
 * too, so a token there can be moved or mapped.
 */
import { SUPPORTED_FLOW_NODES } from '../../../engine/model/supported-elements.js';

const FLOW_NODES: ReadonlySet<string> = new Set(SUPPORTED_FLOW_NODES);

/** Whether `type` (`bpmn:UserTask`) is a flow node kind the engine runs. */
export function isFlowNode(type: string): boolean {
  return FLOW_NODES.has(type);
}

/** The same for an XML element's local name (`userTask`, `adHocSubProcess`). */
export function isFlowNodeElement(localName: string): boolean {
  return isFlowNode(`bpmn:${localName.charAt(0).toUpperCase()}${localName.slice(1)}`);
}
