/** Script tasks: a FEEL `zeebe:script expression` whose result lands in `resultVariable`. */
import type { ModdleElement } from 'bpmn-moddle';
import type { ScriptTaskElement } from '../types.js';
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
    problems.add(at(node, 'zeebe:script'), `Script task "${node.id}" uses a job worker (zeebe:taskDefinition); Weft only runs FEEL scripts (zeebe:script)`);
    return undefined;
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
