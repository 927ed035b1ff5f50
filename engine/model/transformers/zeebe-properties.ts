/**
 * Reading Zeebe extension values: `=`-prefixed text is FEEL (checked here,
 * `=` stripped), anything else a literal, as in Camunda 8.
 */
import type { Binding, ValueOrExpression, VariableMapping } from '../types.js';
import { extension, type FlowNode, type ModdleElement } from '../moddle.js';
import { feelSyntaxError, stripEquals } from '../feel-check.js';
import type { ProblemAt, Problems } from '../problems.js';

/** Where a value sits, for problems: element id, BPMN kind and field. */
export function at(node: FlowNode, field?: string): ProblemAt {
  return { elementId: node.id, elementKind: node.$type, field };
}

/** Syntax-checks a FEEL expression (no `=`), reporting a problem if broken. Returns it unchanged. */
export function checkFeel(expression: string, where: ProblemAt, problems: Problems): string {
  const error = feelSyntaxError(expression);
  if (error) problems.add(where, `Invalid FEEL expression in ${where.field}: ${error} (expression: ${expression})`);
  return expression;
}

/** `=expr` → `{ feel }` (checked); anything else → `{ value }`. */
export function valueOrExpression(raw: string, where: ProblemAt, problems: Problems): ValueOrExpression {
  if (raw.startsWith('=')) return { feel: checkFeel(raw.slice(1), where, problems) };
  return { value: raw };
}

/** A property that is always FEEL, with or without the `=` marker. */
export function expression(raw: string, where: ProblemAt, problems: Problems): string {
  return checkFeel(stripEquals(raw.trim()), where, problems);
}

/**
 * `bindingType` (and `versionTag`) of `zeebe:calledElement` or
 * `zeebe:calledDecision`: latest by default. Undefined, with a problem at
 * `field`, for an unknown type or a versionTag binding without a tag; `what`
 * names the element ("Call activity").
 */
export function readBinding(called: { bindingType?: unknown; versionTag?: unknown } | undefined, node: FlowNode, field: string, what: string, problems: Problems): Binding | undefined {
  const bindingType = typeof called?.bindingType === 'string' ? called.bindingType : 'latest';
  const versionTag = typeof called?.versionTag === 'string' ? called.versionTag.trim() : '';
  if (bindingType === 'latest' || bindingType === 'deployment') return { type: bindingType };
  if (bindingType === 'versionTag' && versionTag) return { type: 'versionTag', versionTag };
  const why = bindingType === 'versionTag' ? 'a versionTag binding needs a versionTag' : `unknown binding type "${bindingType}" (latest, deployment or versionTag)`;
  problems.add(at(node, field), `${what} "${node.id}": ${why}`);
  return undefined;
}

interface Mapping extends ModdleElement {
  source?: string;
  target?: string;
}
interface IoMapping extends ModdleElement {
  inputParameters?: Mapping[];
  outputParameters?: Mapping[];
}

/**
 * `zeebe:ioMapping`. A source is FEEL when it starts with `=`, else a literal
 * string (Camunda 8 maps `1` as the string "1"); an empty source maps `null`.
 */
export function ioMappings(node: FlowNode, problems: Problems): { inputs: VariableMapping[]; outputs: VariableMapping[] } {
  const io = extension<IoMapping>(node, 'zeebe:IoMapping');
  const read = (list: Mapping[] | undefined, tag: 'input' | 'output'): VariableMapping[] =>
    (list ?? []).map((m) => {
      const raw = m.source?.trim();
      const source = raw ? valueOrExpression(raw, at(node, `zeebe:${tag}.source`), problems) : { feel: 'null' };
      const target = m.target?.trim() ?? '';
      if (!target) problems.add(at(node, `zeebe:${tag}.target`), `A zeebe:${tag} mapping needs a target variable name`);
      return { source, target };
    });
  return { inputs: read(io?.inputParameters, 'input'), outputs: read(io?.outputParameters, 'output') };
}

interface Header extends ModdleElement {
  key?: string;
  value?: string;
}

/** `zeebe:taskHeaders`: static strings handed to the worker or the task list. */
export function taskHeaders(node: FlowNode, problems: Problems): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = extension<ModdleElement & { values?: Header[] }>(node, 'zeebe:TaskHeaders')?.values ?? [];
  for (const header of list) {
    if (!header.key) {
      problems.add(at(node, 'zeebe:header.key'), 'A zeebe:header needs a key');
      continue;
    }
    headers[header.key] = header.value ?? '';
  }
  return headers;
}
