/** User tasks: assignment, schedule, form and priority from Zeebe extensions. */
import type { ModdleElement } from 'bpmn-moddle';
import type { UserTaskElement } from '../types.js';
import { extension, type FlowNode } from '../moddle.js';
import type { Problems } from '../problems.js';
import { baseProps, type Transformer } from './context.js';
import { at, taskHeaders, valueOrExpression } from './zeebe-properties.js';

type Strings<K extends string> = ModdleElement & { [P in K]?: string };

export const userTask: Transformer = (node, parent, ctx) => {
  const { problems } = ctx;
  const element: UserTaskElement = { kind: 'userTask', ...baseProps(node, parent, ctx), headers: taskHeaders(node, problems) };

  const assignment = extension<Strings<'assignee' | 'candidateGroups' | 'candidateUsers'>>(node, 'zeebe:AssignmentDefinition');
  for (const key of ['assignee', 'candidateGroups', 'candidateUsers'] as const) {
    const raw = assignment?.[key]?.trim();
    if (raw) element[key] = valueOrExpression(raw, at(node, `zeebe:assignmentDefinition.${key}`), problems);
  }

  const schedule = extension<Strings<'dueDate' | 'followUpDate'>>(node, 'zeebe:TaskSchedule');
  for (const key of ['dueDate', 'followUpDate'] as const) {
    const raw = schedule?.[key]?.trim();
    if (!raw) continue;
    element[key] = valueOrExpression(raw, at(node, `zeebe:taskSchedule.${key}`), problems);
    if (!raw.startsWith('=') && Number.isNaN(Date.parse(raw))) {
      problems.add(at(node, `zeebe:taskSchedule.${key}`), `${key} must be an ISO 8601 date-time or a FEEL expression, got "${raw}"`);
    }
  }

  const form = extension<Strings<'formId' | 'formKey'>>(node, 'zeebe:FormDefinition');
  if (form?.formId?.trim()) element.formId = form.formId.trim();
  if (form?.formKey?.trim()) element.formKey = form.formKey.trim();

  const priority = readPriority(node, problems);
  if (priority) element.priority = priority;
  return element;
};

function readPriority(node: FlowNode, problems: Problems): UserTaskElement['priority'] {
  const raw = extension<Strings<'priority'>>(node, 'zeebe:PriorityDefinition')?.priority?.trim();
  if (!raw) return undefined;
  const priority = valueOrExpression(raw, at(node, 'zeebe:priorityDefinition.priority'), problems);
  if ('value' in priority && !(/^\d+$/.test(priority.value) && Number(priority.value) <= 100)) {
    problems.add(at(node, 'zeebe:priorityDefinition.priority'), `Priority must be an integer from 0 to 100 or a FEEL expression, got "${raw}"`);
  }
  return priority;
}
