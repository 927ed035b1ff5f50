/**
 * Weft's own lint rules, in bpmnlint's rule shape (a factory returning
 * `{ check(node, reporter) }`): what the deploy would refuse, found while drawing.
 */
import { lintExpression } from '@bpmn-io/feel-lint';
import { IGNORED_FLOW_ELEMENTS, unsupportedReason } from './weft-supported';
import { formCatalog } from './form-catalog';

type Node = { $type: string; id?: string; [key: string]: any };
interface Reporter {
  report(id: string, message: string, path?: (string | number)[]): void;
}
type Rule = () => { check(node: Node, reporter: Reporter): void };

const isFlowNode = (node: Node) => node.$instanceOf?.('bpmn:FlowNode') && !IGNORED_FLOW_ELEMENTS.includes(node.$type);

function extensions(node: Node): Node[] {
  return node.extensionElements?.values ?? [];
}

/** Element kinds (and variants) the compiler refuses. */
const unsupportedElement: Rule = () => ({
  check(node, reporter) {
    if (!isFlowNode(node)) return;
    const reason = unsupportedReason(node);
    if (reason) reporter.report(node.id!, reason);
  },
});

/**
 * What the engine hands to a worker as a job — a service task, and as in
 * Camunda 8 a send task and a message throw or end event (a worker sends the
 * message) — needs a job type, or nobody picks it up.
 */
const jobType: Rule = () => ({
  check(node, reporter) {
    const what = jobElement(node);
    if (!what) return;
    const definition = extensions(node).find((e) => e.$type === 'zeebe:TaskDefinition');
    if (!definition?.type?.trim()) reporter.report(node.id!, `${what} needs a job type (Task definition → Type)`);
  },
});

function jobElement(node: Node): string | undefined {
  if (node.$type === 'bpmn:ServiceTask') return 'Service task';
  if (node.$type === 'bpmn:SendTask') return 'Send task';
  // A script task is a job only when it has a task definition (else it is FEEL, checked below).
  if (node.$type === 'bpmn:ScriptTask') return (node.extensionElements?.values ?? []).some((e: Node) => e.$type === 'zeebe:TaskDefinition') ? 'Script task' : undefined;
  const definitions: Node[] = node.eventDefinitions ?? [];
  if (definitions.length !== 1 || definitions[0].$type !== 'bpmn:MessageEventDefinition') return undefined;
  if (node.$type === 'bpmn:IntermediateThrowEvent') return 'Message throw event';
  if (node.$type === 'bpmn:EndEvent') return 'Message end event';
  return undefined;
}

/** A business rule task evaluates a DMN decision (zeebe:calledDecision) or is a job for a worker (zeebe:taskDefinition). */
const businessRuleTask: Rule = () => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:BusinessRuleTask') return;
    const called = extensions(node).find((e) => e.$type === 'zeebe:CalledDecision');
    const job = extensions(node).find((e) => e.$type === 'zeebe:TaskDefinition');
    if (called && job) reporter.report(node.id!, 'Business rule task has both a called decision and a job type: keep one (Implementation)');
    else if (job) {
      if (!job.type?.trim()) reporter.report(node.id!, 'Business rule task needs a job type (Task definition → Type)');
    } else if (!called?.decisionId?.trim()) reporter.report(node.id!, 'Business rule task needs a decision (Implementation → DMN decision → Decision ID)');
    else if (!called.resultVariable?.trim()) reporter.report(node.id!, 'Business rule task needs a result variable for the decision\'s result');
  },
});

/** An ad-hoc sub-process runs only with an agent to choose its activities (task header `agent`). */
const adHocAgent: Rule = () => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:AdHocSubProcess') return;
    const type = extensions(node).find((e) => e.$type === 'zeebe:TaskDefinition')?.type?.trim();
    const headers = extensions(node).find((e) => e.$type === 'zeebe:TaskHeaders')?.values ?? [];
    const agent = headers.find((h: Node) => h.key === 'agent')?.value?.trim();
    if (!type && !agent) reporter.report(node.id!, "Ad-hoc sub-process needs an agent to choose its activities: set the header 'agent'");
  },
});

/** A user task's linked form (zeebe:formDefinition formId) must be deployed, or attached to deploy with the diagram. */
const userTaskForm: Rule = () => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    const formId = extensions(node).find((e) => e.$type === 'zeebe:FormDefinition')?.formId?.trim();
    if (formId && formCatalog.status(formId) === 'missing') {
      reporter.report(node.id!, `Form "${formId}" is not deployed: attach its .form file to deploy it with the diagram`);
    }
  },
});

/** Script tasks run FEEL, or are a job for a worker (a task definition, checked as any job type is). */
const scriptTaskFeel: Rule = () => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:ScriptTask') return;
    const script = extensions(node).find((e) => e.$type === 'zeebe:Script');
    if (!script) {
      if (extensions(node).some((e) => e.$type === 'zeebe:TaskDefinition')) return;
      reporter.report(node.id!, 'Script task needs a FEEL expression (Implementation → FEEL expression) or a job worker (Implementation → Job worker)');
      return;
    }
    if (!script.resultVariable?.trim()) reporter.report(node.id!, 'Script task needs a result variable');
  },
});

/** Headers are literal strings, never expressions; everything else written as `=…` is FEEL. */
const LITERAL_EXTENSIONS = new Set(['zeebe:TaskHeaders', 'zeebe:Properties']);
const FEEL_ALWAYS = new Set(['zeebe:Script.expression']);

/** FEEL that does not parse (checked with @bpmn-io/feel-lint). */
const feelSyntax: Rule = () => ({
  check(node, reporter) {
    if (!node.id) return;
    const condition = node.conditionExpression?.body;
    if (typeof condition === 'string') reportFeel(condition, 'condition', node.id, reporter);
    for (const extension of extensions(node)) walk(extension, node.id, reporter);
  },
});

function walk(element: Node, id: string, reporter: Reporter): void {
  if (LITERAL_EXTENSIONS.has(element.$type)) return;
  for (const [key, value] of Object.entries(element)) {
    if (key.startsWith('$')) continue;
    if (typeof value === 'string' && (value.startsWith('=') || FEEL_ALWAYS.has(`${element.$type}.${key}`))) {
      reportFeel(value, `${element.$type.replace('zeebe:', '')} ${key}`, id, reporter);
    } else if (Array.isArray(value)) {
      for (const child of value) if (child?.$type) walk(child, id, reporter);
    } else if (value && typeof value === 'object' && (value as Node).$type) {
      walk(value as Node, id, reporter);
    }
  }
}

function reportFeel(text: string, where: string, id: string, reporter: Reporter): void {
  const expression = text.startsWith('=') ? text.slice(1) : text;
  if (!expression.trim()) {
    reporter.report(id, `FEEL in ${where} is empty`);
    return;
  }
  // Zeebe's dialect, as the compiler and the properties panel use: a string literal may span lines.
  const error = lintExpression(expression, { parserDialect: 'camunda' }).find((problem: { severity: string }) => problem.severity === 'error');
  if (error) reporter.report(id, `FEEL in ${where} does not parse: ${error.message}`);
}

export const weftRules: Record<string, Rule> = {
  'unsupported-element': unsupportedElement,
  'job-type': jobType,
  'business-rule-task': businessRuleTask,
  'ad-hoc-agent': adHocAgent,
  'user-task-form': userTaskForm,
  'script-task-feel': scriptTaskFeel,
  'feel-syntax': feelSyntax,
};
