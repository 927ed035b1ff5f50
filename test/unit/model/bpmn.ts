/** Tiny BPMN builders and fixture loading for the compiler specs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from '../../../engine/model/index.js';
import type { CompileResult, ModelProblem } from '../../../engine/model/index.js';

export function definitions(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs">${body}</bpmn:definitions>`;
}

export function processXml(content: string, id = 'p'): string {
  return definitions(`<bpmn:process id="${id}" isExecutable="true">${content}</bpmn:process>`);
}

/** start → (the given element, whose id is `id`) → end. */
export function around(element: string, id: string): string {
  return processXml(`
    <bpmn:startEvent id="start"/>
    ${element}
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="${id}"/>
    <bpmn:sequenceFlow id="f2" sourceRef="${id}" targetRef="end"/>`);
}

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/model/${name}`, import.meta.url)), 'utf8');
}

export function compileXml(xml: string): Promise<CompileResult> {
  return compile(xml, 'test.bpmn');
}

/** Compiles and expects success; returns the single process. */
export async function compileOne(xml: string) {
  const result = await compileXml(xml);
  if (result.problems.length > 0) throw new Error(`unexpected problems: ${JSON.stringify(result.problems, null, 2)}`);
  return result.processes[0];
}

/** The problems as compact `elementId|field|message` strings, for readable assertions. */
export function summary(problems: ModelProblem[]): string[] {
  return problems.map((p) => `${p.elementId ?? ''}|${p.field ?? ''}|${p.message}`);
}
