/** `zeebe:taskDefinition` (type, retries) and `zeebe:taskHeaders`: what every element done by a worker has. */
import type { ModdleElement } from 'bpmn-moddle';
import type { MessageThrowProps, ValueOrExpression } from '../types.js';
import { extension, type FlowNode } from '../moddle.js';
import type { Problems } from '../problems.js';
import { at, taskHeaders, valueOrExpression } from './zeebe-properties.js';

interface TaskDefinition extends ModdleElement {
  type?: string;
  retries?: string;
}

const DEFAULT_RETRIES = '3';

/** Reads the job an element hands to a worker; `what` names the element in problems ("Service task"). */
export function jobDefinition(node: FlowNode, problems: Problems, what: string): MessageThrowProps {
  const definition = extension<TaskDefinition>(node, 'zeebe:TaskDefinition');
  const type = definition?.type?.trim();
  let jobType: ValueOrExpression = { value: '' };
  if (type) jobType = valueOrExpression(type, at(node, 'zeebe:taskDefinition.type'), problems);
  else problems.add(at(node, 'zeebe:taskDefinition.type'), `${what} "${node.id}" needs a job type (zeebe:taskDefinition type)`);

  const rawRetries = definition?.retries?.trim() || DEFAULT_RETRIES;
  const retries = valueOrExpression(rawRetries, at(node, 'zeebe:taskDefinition.retries'), problems);
  if ('value' in retries && !/^\d+$/.test(retries.value)) {
    problems.add(at(node, 'zeebe:taskDefinition.retries'), `Retries must be a non-negative integer or a FEEL expression, got "${retries.value}"`);
  }
  const headers = taskHeaders(node, problems);
  const named = secretNamesOf(node, headers);
  if (named.length > 0) headers[SECRET_NAMES_HEADER] = named.join(',');
  return { jobType, retries, headers };
}

/**
 * The task header listing the `{{secrets.NAME}}` the element's own definition
 * names (in its input mappings' sources and its headers). A connector resolves
 * only those: a placeholder that arrives inside process data (a webhook
 * payload, a form, a model's tool arguments) names no secret of this task and
 * is never filled in.
 */
export const SECRET_NAMES_HEADER = 'weft.secretNames';
const SECRET_PLACEHOLDER = /\{\{\s*secrets\.([^{}\s]+)\s*\}\}/g;

interface IoMapping extends ModdleElement {
  inputParameters?: { source?: string }[];
}

function secretNamesOf(node: FlowNode, headers: Record<string, string>): string[] {
  const sources = (extension<IoMapping>(node, 'zeebe:IoMapping')?.inputParameters ?? []).map((m) => m.source ?? '');
  const texts = [...sources, ...Object.values(headers)];
  return [...new Set(texts.flatMap((text) => [...text.matchAll(SECRET_PLACEHOLDER)].map((m) => m[1])))].sort();
}
