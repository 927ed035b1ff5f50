/**
 * Which element kinds of a BPMN file Weft does not execute, read from the
 * file itself with bpmn-moddle and checked against supported-kinds.ts, not
 * taken from the compiler: the MIWG tests compare the two.
 *
 * The elements looked at are those of the processes Weft would run: the
 * ones marked isExecutable="true", or every process when none is marked
 * (interchange models seldom mark any). A container whose own kind is not
 * executed (an event sub-process, a transaction) is named, and what it
 * holds is not looked at.
 */
import { BpmnModdle } from 'bpmn-moddle';
import type { ModelProblem } from '../../../engine/model/types.js';
import { WEFT_EXECUTES, WITHOUT_BEHAVIOUR } from '../supported-kinds.js';

export interface UnsupportedElement {
  id: string;
  /** The BPMN type as written, e.g. `bpmn:BoundaryEvent`. */
  type: string;
  /** Its kinds Weft does not execute. */
  kinds: string[];
}

interface Node {
  $type: string;
  id?: string;
  isExecutable?: boolean;
  cancelActivity?: boolean;
  isInterrupting?: boolean;
  triggeredByEvent?: boolean;
  eventDefinitions?: { $type: string }[];
  loopCharacteristics?: { $type: string };
  flowElements?: Node[];
  rootElements?: Node[];
}

/** The element's own kind (its loop, if any, is a kind of its own: see kindsOf). */
export function kindOf(node: Node, inEventSubProcess = false): string {
  const qualifiers = (node.eventDefinitions ?? []).map((d) => d.$type);
  if (node.$type === 'bpmn:BoundaryEvent' && node.cancelActivity === false) qualifiers.push('non-interrupting');
  if (node.$type === 'bpmn:StartEvent' && inEventSubProcess && node.isInterrupting === false) qualifiers.push('non-interrupting');
  if (node.triggeredByEvent) qualifiers.push('event sub-process');
  return qualifiers.length > 0 ? `${node.$type}(${qualifiers.join(', ')})` : node.$type;
}

function kindsOf(node: Node, inEventSubProcess: boolean): string[] {
  const kinds = [kindOf(node, inEventSubProcess)];
  if (node.loopCharacteristics) kinds.push(node.loopCharacteristics.$type);
  return kinds;
}

/** The elements of the processes Weft would run whose kinds it does not execute, in document order. */
export async function unsupportedElements(xml: string): Promise<UnsupportedElement[]> {
  const { rootElement } = await new BpmnModdle().fromXML(xml, 'bpmn:Definitions');
  const processes = ((rootElement as unknown as Node).rootElements ?? []).filter((e) => e.$type === 'bpmn:Process');
  const marked = processes.filter((p) => p.isExecutable === true);
  const found: UnsupportedElement[] = [];
  const walk = (container: Node): void => {
    for (const node of container.flowElements ?? []) {
      if (WITHOUT_BEHAVIOUR.has(node.$type)) continue;
      const kinds = kindsOf(node, container.triggeredByEvent === true).filter((k) => !WEFT_EXECUTES.has(k));
      if (kinds.length > 0) found.push({ id: node.id ?? '', type: node.$type, kinds });
      if (node.flowElements && WEFT_EXECUTES.has(kindOf(node))) walk(node);
    }
  };
  for (const process of marked.length > 0 ? marked : processes) walk(process);
  return found;
}

export interface Verdict {
  /** Unsupported elements no problem names. */
  missing: string[];
  /** Problems that are not "element X (of an unsupported kind) is not supported": false follow-ons, or other refusals. */
  extra: string[];
}

/** Do the compiler's problems name exactly the unsupported elements (by id and BPMN type), and nothing else? */
export function judge(expected: UnsupportedElement[], problems: ModelProblem[]): Verdict {
  const byId = new Map(expected.map((e) => [e.id, e]));
  const names = (p: ModelProblem) => {
    const element = p.elementId === undefined ? undefined : byId.get(p.elementId);
    return element !== undefined && p.elementKind === element.type && /not supported/.test(p.message);
  };
  const named = new Set(problems.filter(names).map((p) => p.elementId));
  return {
    missing: expected.filter((e) => !named.has(e.id)).map((e) => `${e.id} ${e.kinds.join(' + ')}`),
    extra: problems.filter((p) => !names(p)).map((p) => `${p.elementId ?? '(file)'}: ${p.message}`),
  };
}
