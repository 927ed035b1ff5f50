/**
 * The bpmn-js Modeler as Weft configures it: Camunda 8 (Zeebe) properties and
 * behaviours, lint while drawing, token simulation, element templates (the chooser, and
 * bpmn-js-element-templates so the properties panel shows an applied template's fields), and
 * what Weft cannot run marked in the palette and the replace menu.
 */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import lintModule from 'bpmn-js-bpmnlint';
import TokenSimulationModule from 'bpmn-js-token-simulation';
import ElementTemplateChooserModule from '@bpmn-io/element-template-chooser';
import { lintConfig } from './lint/lint-config';
import { CloudElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import { UnsupportedMarksModule } from './unsupported-marks';

import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'bpmn-js-token-simulation/assets/css/bpmn-js-token-simulation.css';
import '@bpmn-io/element-template-chooser/dist/element-template-chooser.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';

export function createModeler(canvas: HTMLElement, properties: HTMLElement): BpmnModeler {
  return new BpmnModeler({
    container: canvas,
    propertiesPanel: { parent: properties },
    linting: { active: true, bpmnlint: lintConfig },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      ZeebePropertiesProviderModule,
      ZeebeBehaviorsModule,
      lintModule,
      TokenSimulationModule,
      CloudElementTemplatesPropertiesProviderModule,
      ElementTemplateChooserModule,
      UnsupportedMarksModule,
    ],
    moddleExtensions: { zeebe: zeebeModdle },
  });
}
