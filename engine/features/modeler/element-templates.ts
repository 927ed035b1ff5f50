/**
 * Element templates (Camunda 8 element-template JSON) the modeler offers in
 * its template chooser, served by GET /api/element-templates. A registry:
 * other features (connectors, agents) add theirs with registerElementTemplate.
 */

/** The parts of a Camunda 8 element template Weft relies on; the rest passes through. */
export interface ElementTemplate {
  id: string;
  name: string;
  version?: number;
  description?: string;
  appliesTo: string[];
  elementType?: { value: string };
  category?: { id: string; name: string };
  properties: Record<string, unknown>[];
  [key: string]: unknown;
}

const registry = new Map<string, ElementTemplate>();

const keyOf = (t: ElementTemplate) => `${t.id}@${t.version ?? 0}`;

/** Adds a template (or replaces the one with the same id and version). */
export function registerElementTemplate(template: ElementTemplate): void {
  if (!template.id || !template.name || !Array.isArray(template.appliesTo) || !Array.isArray(template.properties)) {
    throw new Error(`Element template ${template.id ?? '(no id)'} needs id, name, appliesTo and properties`);
  }
  registry.set(keyOf(template), template);
}

/** Every registered template, ordered by id then version. */
export function elementTemplates(): ElementTemplate[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id) || (a.version ?? 0) - (b.version ?? 0));
}

const WEFT = { id: 'weft', name: 'Weft' };
const TASKS = ['bpmn:Task', 'bpmn:ServiceTask'];
/** The `agent` header naming the agent definition, required. */
const agentHeader = {
  label: 'Agent definition',
  description: 'The name of a deployed agent definition (*.agent.json)',
  type: 'String',
  binding: { type: 'zeebe:taskHeader', key: 'agent' },
  constraints: { notEmpty: true },
};
const jobType = (value: string) => ({ type: 'Hidden', value, binding: { type: 'zeebe:taskDefinition', property: 'type' } });

/** An agent task: a service task of type `agent` naming its agent definition in the `agent` header (issue #3). */
registerElementTemplate({
  id: 'io.weft.agent',
  name: 'Agent task',
  version: 1,
  description: 'An AI agent reasons over the mapped variables; the engine validates its output and applies its policies',
  category: WEFT,
  appliesTo: TASKS,
  elementType: { value: 'bpmn:ServiceTask' },
  properties: [
    jobType('agent'),
    agentHeader,
    {
      label: 'Input',
      description: 'What the agent works on (FEEL)',
      type: 'String',
      feel: 'required',
      optional: true,
      binding: { type: 'zeebe:input', name: 'input' },
    },
    {
      label: 'Result variable',
      description: "The process variable that receives the agent's output",
      type: 'String',
      value: 'agentResult',
      binding: { type: 'zeebe:output', source: '=output' },
    },
  ],
});

/** An ad-hoc sub-process whose inner activities an agent chooses, one by one, until it is done (Camunda 8's AI agent pattern). */
registerElementTemplate({
  id: 'io.weft.agent-ad-hoc',
  name: 'Agent-chosen activities',
  version: 1,
  description: 'An agent picks which of the inner activities (those without incoming flows) to run, with which inputs, until it is done',
  category: WEFT,
  appliesTo: ['bpmn:SubProcess'],
  elementType: { value: 'bpmn:AdHocSubProcess' },
  properties: [
    jobType('agent'),
    agentHeader,
  ],
});

/** Any custom worker written with the SDK (createWorker(type, handler)) or the REST job API. */
registerElementTemplate({
  id: 'io.weft.job-worker',
  name: 'Job worker task',
  version: 1,
  description: 'Work done by a worker of your own, picked up by its job type',
  category: WEFT,
  appliesTo: TASKS,
  elementType: { value: 'bpmn:ServiceTask' },
  properties: [
    {
      label: 'Job type',
      description: 'The type your worker subscribes to',
      type: 'String',
      binding: { type: 'zeebe:taskDefinition', property: 'type' },
      constraints: { notEmpty: true },
    },
    {
      label: 'Retries',
      type: 'String',
      value: '3',
      binding: { type: 'zeebe:taskDefinition', property: 'retries' },
    },
  ],
});
