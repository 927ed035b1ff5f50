/**
 * Script tasks: a FEEL `zeebe:script expression` whose result lands in
 * `resultVariable`; or, as Camunda 8 also allows, a job of
 * `zeebe:taskDefinition` type for a worker that runs the script (then it
 * behaves as a service task).
 */
import type { ModdleElement } from 'bpmn-moddle';
import type { ScriptTaskElement, ServiceTaskElement } from '../types.js';
import { jobDefinition } from './job-definition.js';
import { extension } from '../moddle.js';
import { baseProps, type Transformer } from './context.js';
import { at, expression } from './zeebe-properties.js';

interface Script extends ModdleElement {
  expression?: string;
  resultVariable?: string;
}

export const scriptTask: Transformer = (node, parent, ctx) => {
  const { problems } = ctx;
  const script = extension<Script>(node, 'zeebe:Script');
  if (!script && extension(node, 'zeebe:TaskDefinition')) {
    const element: ServiceTaskElement = { kind: 'serviceTask', ...baseProps(node, parent, ctx), ...jobDefinition(node, problems, 'Script task') };
    return element;
  }
  const raw = script?.expression?.trim();
  if (!raw) problems.add(at(node, 'zeebe:script.expression'), `Script task "${node.id}" needs a FEEL expression (zeebe:script expression)`);
  const resultVariable = script?.resultVariable?.trim() ?? '';
  if (!resultVariable) problems.add(at(node, 'zeebe:script.resultVariable'), `Script task "${node.id}" needs a result variable (zeebe:script resultVariable)`);

  const element: ScriptTaskElement = {
    kind: 'scriptTask',
    ...baseProps(node, parent, ctx),
    expression: raw ? expression(raw, at(node, 'zeebe:script.expression'), problems) : '',
    resultVariable,
  };
  return element;
};
