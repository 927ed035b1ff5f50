/**
 * A connector's Camunda 8 element template, generated from its definition:
 * the job type as a hidden `zeebe:taskDefinition`, one property per input
 * field (`zeebe:input` named by the dotted path, or `zeebe:taskHeader`), and
 * the headers every connector reads (result variable and expression, error
 * expression, retries and their backoff). A diagram made with the template
 * is what the SDK reads at run time, by construction.
 */
import type { ElementTemplate } from '../../engine/features/modeler/element-templates.js';
import type { Connector, InputField } from './define-connector.js';

export const TEMPLATE_SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';

const COMMON_GROUPS = [
  { id: 'output', label: 'Output mapping' },
  { id: 'error', label: 'Error handling' },
  { id: 'retries', label: 'Retries' },
];

export function elementTemplateOf(connector: Connector): ElementTemplate {
  return {
    $schema: TEMPLATE_SCHEMA,
    id: connector.templateId ?? `io.weft.connectors.${connector.type}`,
    name: connector.name,
    version: connector.version,
    description: connector.description,
    category: { id: 'connectors', name: 'Connectors' },
    appliesTo: ['bpmn:Task'],
    elementType: { value: 'bpmn:ServiceTask' },
    groups: [...(connector.groups ?? []), ...COMMON_GROUPS],
    properties: [
      { type: 'Hidden', value: connector.type, binding: { type: 'zeebe:taskDefinition', property: 'type' } },
      ...Object.entries(connector.fields).map(([path, field]) => property(path, field)),
      ...commonProperties(),
    ],
  };
}

function property(path: string, field: InputField): Record<string, unknown> {
  const type = field.type ?? (field.choices ? 'Dropdown' : 'String');
  return strip({
    id: path,
    label: field.label,
    description: field.description,
    group: field.group,
    type,
    value: field.value,
    placeholder: field.placeholder,
    // FEEL marks only fit the free-text field types.
    feel: type === 'String' || type === 'Text' || field.feel === 'static' ? field.feel : undefined,
    optional: field.optional || undefined,
    secret: field.secret || undefined,
    choices: field.choices,
    constraints: field.optional || type === 'Hidden' || type === 'Boolean' ? undefined : { notEmpty: true },
    binding: field.binding === 'header' ? { type: 'zeebe:taskHeader', key: path } : { type: 'zeebe:input', name: path },
    condition: field.when ? strip({ property: field.when.field, equals: field.when.equals, oneOf: field.when.oneOf }) : undefined,
  });
}

/** The headers the SDK applies for every connector (connector-outcome.ts). */
function commonProperties(): Record<string, unknown>[] {
  const header = (key: string) => ({ type: 'zeebe:taskHeader', key });
  return [
    { id: 'resultVariable', label: 'Result variable', description: 'Name of the variable that receives the whole result', group: 'output', type: 'String', binding: header('resultVariable') },
    {
      id: 'resultExpression',
      label: 'Result expression',
      description: 'FEEL over the result (e.g. response.body); the keys of the context it returns become variables',
      group: 'output',
      type: 'Text',
      feel: 'required',
      binding: header('resultExpression'),
    },
    {
      id: 'errorExpression',
      label: 'Error expression',
      description: 'FEEL over `error` (on failure) or the result; return bpmnError(code, message) or jobError(message) to raise one',
      group: 'error',
      type: 'Text',
      feel: 'required',
      binding: header('errorExpression'),
    },
    { id: 'retryCount', label: 'Retries', description: 'Attempts before an incident', group: 'retries', type: 'String', value: '3', binding: { type: 'zeebe:taskDefinition', property: 'retries' } },
    { id: 'retryBackoff', label: 'Retry backoff', description: 'ISO 8601 duration between attempts', group: 'retries', type: 'String', value: 'PT5S', binding: header('retryBackoff') },
  ];
}

function strip(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
