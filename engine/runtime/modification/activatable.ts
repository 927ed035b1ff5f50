/**
 * Which elements a modification may put a token on, read from the compiled
 * model alone (pure). A token can enter what a sequence flow can lead to;
 * what is entered only by its event (boundary events, event sub-processes
 * and their start events), what runs only on compensation, what an agent
 * chooses (inside an ad-hoc sub-process) and the start of a sub-process
 * (enter the sub-process instead) cannot be entered this way.
 */
import type { ExecutableProcess, FlowElement } from '../../model/types.js';
import type { Rejection } from '../types.js';

const EVENT_STARTS = new Set(['timerStartEvent', 'messageStartEvent', 'signalStartEvent', 'errorStartEvent', 'escalationStartEvent']);

/** The element `id`, or why a token cannot be put on it. */
export function activatableElement(definition: ExecutableProcess, id: string): FlowElement | Rejection {
  const element = definition.elements[id];
  if (!element) {
    const flow = definition.flows[id];
    if (flow) return notActivatable(id, `is a sequence flow; start before its target '${flow.targetRef}' or after its source '${flow.sourceRef}'`);
    return { code: 'UNKNOWN_ELEMENT', message: `Process '${definition.id}' has no element '${id}'` };
  }
  const why = reasonNotActivatable(definition, element);
  return why ? notActivatable(id, why) : element;
}

function reasonNotActivatable(definition: ExecutableProcess, element: FlowElement): string | null {
  if (element.kind === 'process') return 'is the process itself';
  if ('attachedTo' in element) return `is a boundary event of '${element.attachedTo}': it is entered when its event happens, not by a token`;
  if (element.kind === 'eventSubProcess') return 'is an event sub-process: it starts when its event happens';
  if (EVENT_STARTS.has(element.kind)) return 'is an event start: it is entered when its event happens';
  if (element.kind === 'startEvent' && element.parent !== definition.id) return `is the start event of sub-process '${element.parent}'; start before '${element.parent}' instead`;
  if (element.forCompensation) return 'is a compensation handler: it runs only when its activity is compensated';
  const parent = definition.elements[element.parent];
  if (parent?.kind === 'adHocSubProcess') return `is inside ad-hoc sub-process '${parent.id}', whose agent chooses what runs there`;
  return null;
}

function notActivatable(id: string, why: string): Rejection {
  return { code: 'ELEMENT_NOT_ACTIVATABLE', message: `Element '${id}' cannot be started: it ${why}` };
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && !('kind' in value);
}
