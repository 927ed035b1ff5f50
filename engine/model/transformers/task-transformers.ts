/** Undefined tasks (`bpmn:task`) and manual tasks: pass-through activities with mappings only. */
import type { ManualTaskElement, TaskElement } from '../types.js';
import { baseProps, type Transformer } from './context.js';

export const task: Transformer = (node, parent, ctx) => {
  const element: TaskElement = { kind: 'task', ...baseProps(node, parent, ctx) };
  return element;
};

export const manualTask: Transformer = (node, parent, ctx) => {
  const element: ManualTaskElement = { kind: 'manualTask', ...baseProps(node, parent, ctx) };
  return element;
};
