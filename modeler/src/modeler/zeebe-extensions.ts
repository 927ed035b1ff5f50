/** Setting a `zeebe:` extension element on a diagram element, undoably, creating the extension elements it needs. */

/** Sets `props` on the element's extension of `type` (e.g. `zeebe:FormDefinition`), adding the extension when it has none. */
export function setZeebeExtension(modeler: { get<T = any>(name: string): T }, element: any, type: string, props: Record<string, unknown>): void {
  const modeling = modeler.get<any>('modeling');
  const bpmnFactory = modeler.get<any>('bpmnFactory');
  const bo = element.businessObject;
  let extensions = bo.extensionElements;
  if (!extensions) {
    extensions = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    extensions.$parent = bo;
    modeling.updateModdleProperties(element, bo, { extensionElements: extensions });
  }
  const existing = extensions.values.find((v: any) => v.$type === type);
  if (existing) {
    modeling.updateModdleProperties(element, existing, props);
    return;
  }
  const created = bpmnFactory.create(type, props);
  created.$parent = extensions;
  modeling.updateModdleProperties(element, extensions, { values: [...extensions.values, created] });
}
