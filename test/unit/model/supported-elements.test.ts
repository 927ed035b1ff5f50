/**
 * engine/model/supported-elements.ts is what the modeler page marks and
 * checks by; the compiler is what refuses at deploy. For every kind of event
 * with every event definition (and none), both must agree on what Weft
 * cannot run, so the page never marks what deploys nor misses what is refused.
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { transformers } from '../../../engine/model/transformers/index.js';
import { SUPPORTED_FLOW_NODES, unsupportedReason, type FlowNodeShape } from '../../../engine/model/supported-elements.js';

const DEFINITIONS = ['', 'timer', 'message', 'error', 'escalation', 'link', 'signal', 'compensate', 'cancel', 'terminate', 'conditional'];
const definition = (d: string) => (d ? `<bpmn:${d}EventDefinition id="def"/>` : '');

/** The event `e` in each place an event kind lives, with its event definition `d`. */
const PLACES: Record<string, (d: string) => string> = {
  'process start': (d) => `<bpmn:startEvent id="e">${definition(d)}</bpmn:startEvent>`,
  'event sub-process start': (d) => `<bpmn:startEvent id="s"/><bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="e">${definition(d)}</bpmn:startEvent></bpmn:subProcess>`,
  'embedded sub-process start': (d) => `<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="e">${definition(d)}</bpmn:startEvent></bpmn:subProcess>`,
  end: (d) => `<bpmn:startEvent id="s"/><bpmn:endEvent id="e">${definition(d)}</bpmn:endEvent>`,
  'intermediate catch': (d) => `<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="e">${definition(d)}</bpmn:intermediateCatchEvent>`,
  'intermediate throw': (d) => `<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="e">${definition(d)}</bpmn:intermediateThrowEvent>`,
  'interrupting boundary': (d) => `<bpmn:startEvent id="s"/><bpmn:task id="t"/><bpmn:boundaryEvent id="e" attachedToRef="t">${definition(d)}</bpmn:boundaryEvent>`,
  'non-interrupting boundary': (d) => `<bpmn:startEvent id="s"/><bpmn:task id="t"/><bpmn:boundaryEvent id="e" attachedToRef="t" cancelActivity="false">${definition(d)}</bpmn:boundaryEvent>`,
};

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"><bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

const UNSUPPORTED = /not supported by Weft yet|cannot wait for|must be interrupting/;
const moddle = new BpmnModdle({ zeebe });

function find(node: any, id: string): any {
  if (node?.id === id) return node;
  for (const child of node?.flowElements ?? []) {
    const found = find(child, id);
    if (found) return found;
  }
  return undefined;
}

const cases = Object.entries(PLACES).flatMap(([place, body]) => DEFINITIONS.map((d) => ({ place, d: d || 'none', text: xml(body(d)) })));

describe('the list of what Weft runs, shared with the modeler page', () => {
  it('names exactly the kinds the compiler has a transformer for', () => {
    expect([...SUPPORTED_FLOW_NODES].sort()).toEqual(Object.keys(transformers).sort());
  });

  it.each(cases)('agrees with the compiler on a $place event with $d', async ({ text }) => {
    // given what the compiler says about the event
    const { problems } = await compile(text, 'case.bpmn');
    const refused = problems.some((p) => p.elementId === 'e' && UNSUPPORTED.test(p.message));

    // when the shared list is asked about the same element
    const { rootElement } = await moddle.fromXML(text, 'bpmn:Definitions');
    const node = find((rootElement as any).rootElements[0], 'e') as FlowNodeShape;
    const reason = unsupportedReason(node);

    // then
    expect({ refused: Boolean(reason), reason }).toEqual({ refused, reason: refused ? expect.any(String) : undefined });
  });
});
