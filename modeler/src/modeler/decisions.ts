/**
 * The DMN decision of a business rule task (zeebe:calledDecision
 * decisionId): found among the attached .dmn files, else deployed, else a
 * new decision table; edited with dmn-js (decision-editor.ts, loaded on
 * demand) and attached as a .dmn file, which Deploy sends with the diagram.
 */
import type { ApiClient } from './api-client';
import type { Attachments } from './attachments';
import { setZeebeExtension } from './zeebe-extensions';

/** The decision ids a .dmn file holds; none when it is not readable XML. */
export function decisionIdsOf(xml: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return [];
  return [...doc.getElementsByTagNameNS('*', 'decision')].map((d) => d.getAttribute('id') ?? '').filter(Boolean);
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A new file with one decision table: one input, one output, no rules yet. */
export function newDecisionXml(decisionId: string, name: string): string {
  const id = escape(decisionId);
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="${id}-definitions" name="${escape(name)}" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="${id}" name="${escape(name)}">
    <decisionTable id="${id}-table">
      <input id="${id}-input-1" label="Input">
        <inputExpression id="${id}-input-1-expression" typeRef="string"><text></text></inputExpression>
      </input>
      <output id="${id}-output-1" name="result" typeRef="string" />
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="${id}-diagram">
      <dmndi:DMNShape id="${id}-shape" dmnElementRef="${id}"><dc:Bounds height="80" width="180" x="160" y="100" /></dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}

export interface DecisionContext {
  modeler: { get<T = any>(name: string): T };
  attachments: Attachments;
  api: ApiClient;
  dialog: HTMLDialogElement;
  setStatus(text: string, kind?: 'info' | 'ok' | 'error'): void;
}

/** Opens the decision of the selected business rule task in dmn-js; Save attaches it and links the task to it. */
export async function editTaskDecision(ctx: DecisionContext): Promise<void> {
  const [element] = ctx.modeler.get<any>('selection').get();
  if (!element || element.type !== 'bpmn:BusinessRuleTask') {
    ctx.setStatus('Select a business rule task first, then edit its decision.');
    return;
  }
  const values: any[] = element.businessObject.extensionElements?.values ?? [];
  if (values.some((v) => v.$type === 'zeebe:TaskDefinition')) {
    ctx.setStatus('This business rule task is done by a worker (a job type): remove its task definition to evaluate a DMN decision instead.', 'error');
    return;
  }
  const called = values.find((v) => v.$type === 'zeebe:CalledDecision');
  const written: string = called?.decisionId?.trim() ?? '';
  if (written.startsWith('=')) {
    ctx.setStatus(`The decision id is an expression (${written}): attach the .dmn files it may name instead.`, 'error');
    return;
  }
  const decisionId = written || `${element.id}-decision`;
  const attached = ctx.attachments.all().find((a) => /\.dmn$/i.test(a.name) && decisionIdsOf(a.content).includes(decisionId));
  const deployed = attached ? null : await ctx.api.decisionXml(decisionId);
  const xml = attached?.content ?? deployed?.xml ?? newDecisionXml(decisionId, element.businessObject.name || decisionId);
  ctx.dialog.querySelector('[data-testid=decision-id]')!.textContent = decisionId;
  const { editDecision } = await import('./decision-editor');
  const saved = await editDecision(ctx.dialog, xml, decisionId);
  if (!saved) return;
  ctx.attachments.add([{ name: attached?.name ?? deployed?.resourceName ?? `${decisionId}.dmn`, content: saved }]);
  if (!called?.decisionId?.trim() || !called?.resultVariable?.trim()) {
    const resultVariable: string = called?.resultVariable?.trim() || decisionId.replace(/[^\p{L}\p{N}_]/gu, '_');
    setZeebeExtension(ctx.modeler, element, 'zeebe:CalledDecision', { decisionId, resultVariable });
  }
  ctx.setStatus(`Decision ${decisionId} will be deployed with the diagram`);
}
