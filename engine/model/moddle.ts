/**
 * Typed views of the moddle objects the compiler reads. bpmn-moddle builds
 * plain objects whose properties follow the BPMN and Zeebe descriptors; only
 * the properties used here are listed, all optional where XML may omit them.
 */
import type { ModdleElement } from 'bpmn-moddle';

export type { ModdleElement };

export interface Definitions extends ModdleElement {
  rootElements?: ModdleElement[];
}

/** `bpmn:Process` and `bpmn:SubProcess` (and its Transaction / AdHoc variants). */
export interface Container extends ModdleElement {
  id: string;
  name?: string;
  isExecutable?: boolean;
  triggeredByEvent?: boolean;
  flowElements?: ModdleElement[];
  extensionElements?: ExtensionElements;
}

export interface FlowNode extends ModdleElement {
  id: string;
  name?: string;
  eventDefinitions?: ModdleElement[];
  loopCharacteristics?: ModdleElement;
  extensionElements?: ExtensionElements;
  /** Gateways and activities: the default flow. */
  default?: ModdleElement;
}

export interface SequenceFlowNode extends ModdleElement {
  id: string;
  name?: string;
  sourceRef?: ModdleElement;
  targetRef?: ModdleElement;
  conditionExpression?: ModdleElement & { body?: string };
}

export interface ExtensionElements extends ModdleElement {
  values?: ModdleElement[];
}

/** The first extension element of a type, e.g. `zeebe:TaskDefinition`. */
export function extension<T extends ModdleElement>(
  element: { extensionElements?: ExtensionElements },
  type: string,
): T | undefined {
  return element.extensionElements?.values?.find((v) => v.$type === type) as T | undefined;
}
