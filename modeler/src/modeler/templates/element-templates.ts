/**
 * A small `elementTemplates` service for @bpmn-io/element-template-chooser:
 * the templates served by GET /api/element-templates, which apply to an
 * element, and how to apply one (Camunda 8 bindings: zeebe:taskDefinition,
 * zeebe:input, zeebe:output, zeebe:taskHeader, zeebe:property, property).
 * bpmn-js-element-templates (the template-aware properties panel) is not a
 * dependency; after applying, the regular Zeebe properties show the values.
 */
import { is, getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';
import { isExpanded } from 'bpmn-js/lib/util/DiUtil';
import { templateExtensions, type Template } from './apply-template';

type Element = { id: string; type: string; businessObject: any };

export class ElementTemplates {
  static $inject = ['bpmnFactory', 'bpmnReplace', 'modeling', 'eventBus'];
  private templates: Template[] = [];

  constructor(
    private readonly bpmnFactory: any,
    private readonly bpmnReplace: any,
    private readonly modeling: any,
    private readonly eventBus: any,
  ) {}

  set(templates: Template[]): void {
    this.templates = templates;
    this.eventBus.fire('elementTemplates.changed');
  }

  /** The template applied to `element`, if it is known (the properties panel shows its name). */
  get(element: Element): Template | null {
    const bo = getBusinessObject(element);
    const id = bo?.get?.('zeebe:modelerTemplate');
    if (!id) return null;
    const version = bo.get('zeebe:modelerTemplateVersion');
    return this.templates.find((t) => t.id === id && (version === undefined || t.version === Number(version))) ?? null;
  }

  getAll(): Template[] {
    return this.templates;
  }

  /** The newest version of each template that applies to `element`. */
  getLatest(element?: Element): Template[] {
    const newest = new Map<string, Template>();
    for (const t of this.templates) {
      if (element && !t.appliesTo.some((type) => is(element, type))) continue;
      const seen = newest.get(t.id);
      if (!seen || (t.version ?? 0) > (seen.version ?? 0)) newest.set(t.id, t);
    }
    return [...newest.values()];
  }

  applyTemplate(element: Element, template: Template): Element {
    const targetType = template.elementType?.value;
    let target = element;
    if (targetType && targetType !== element.type) {
      // A sub-process keeps its shape: expanded stays expanded, with its children.
      const shape = is(element, 'bpmn:SubProcess') ? { isExpanded: isExpanded(element as any) } : {};
      target = this.bpmnReplace.replaceElement(element, { type: targetType, ...shape });
    }
    const bo = getBusinessObject(target);
    const extensionElements = templateExtensions(bo, template, this.bpmnFactory);
    const attributes: Record<string, unknown> = {};
    for (const p of template.properties) {
      if (p.binding.type === 'property' && p.binding.name && p.value !== undefined) attributes[p.binding.name] = p.value;
    }
    this.modeling.updateProperties(target, {
      ...attributes,
      extensionElements,
      'zeebe:modelerTemplate': template.id,
      'zeebe:modelerTemplateVersion': template.version,
    });
    return target;
  }
}

export const ElementTemplatesModule = {
  __init__: ['elementTemplates'],
  elementTemplates: ['type', ElementTemplates],
};
