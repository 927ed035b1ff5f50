/** Builds the zeebe: extension elements a Camunda 8 element template's bindings describe. */

export interface TemplateProperty {
  type?: string;
  label?: string;
  value?: string | number | boolean;
  optional?: boolean;
  binding: { type: string; property?: string; name?: string; source?: string; key?: string };
}

export interface Template {
  id: string;
  name: string;
  version?: number;
  description?: string;
  appliesTo: string[];
  elementType?: { value: string };
  category?: { id: string; name: string };
  properties: TemplateProperty[];
}

/** The extension kinds a template owns: replaced, while any other extension on the element is kept. */
const OWNED = new Set(['zeebe:TaskDefinition', 'zeebe:IoMapping', 'zeebe:TaskHeaders', 'zeebe:Properties']);

export function templateExtensions(bo: any, template: Template, bpmnFactory: any): any {
  const create = (type: string, attrs: Record<string, unknown> = {}) => bpmnFactory.create(type, attrs);
  const taskDefinition: Record<string, string> = {};
  const inputs: any[] = [];
  const outputs: any[] = [];
  const headers: any[] = [];
  const properties: any[] = [];
  for (const p of template.properties) {
    const b = p.binding;
    const value = p.value === undefined ? undefined : String(p.value);
    switch (b.type) {
      case 'zeebe:taskDefinition':
      case 'zeebe:taskDefinition:type':
        if (value !== undefined) taskDefinition[b.property ?? 'type'] = value;
        break;
      case 'zeebe:input':
        if (value !== undefined || !p.optional) inputs.push(create('zeebe:Input', { target: b.name, source: value ?? '' }));
        break;
      case 'zeebe:output':
        if (value !== undefined) outputs.push(create('zeebe:Output', { source: b.source, target: value }));
        break;
      case 'zeebe:taskHeader':
        headers.push(create('zeebe:Header', { key: b.key, value: value ?? '' }));
        break;
      case 'zeebe:property':
        properties.push(create('zeebe:Property', { name: b.name, value: value ?? '' }));
        break;
    }
  }
  const kept = (bo.extensionElements?.values ?? []).filter((e: any) => !OWNED.has(e.$type));
  const values = [...kept];
  if (Object.keys(taskDefinition).length) values.push(create('zeebe:TaskDefinition', taskDefinition));
  if (inputs.length || outputs.length) values.push(create('zeebe:IoMapping', { inputParameters: inputs, outputParameters: outputs }));
  if (headers.length) values.push(create('zeebe:TaskHeaders', { values: headers }));
  if (properties.length) values.push(create('zeebe:Properties', { properties }));
  const extensionElements = create('bpmn:ExtensionElements', { values });
  for (const v of values) v.$parent = extensionElements;
  return extensionElements;
}
