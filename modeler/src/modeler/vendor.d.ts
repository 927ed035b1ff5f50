/** Libraries the page uses that ship no type declarations. */
declare module 'bpmn-js-properties-panel';
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
declare module 'bpmn-js-bpmnlint';
declare module 'bpmn-js-token-simulation';
declare module '@bpmn-io/element-template-chooser';
declare module 'bpmn-js-element-templates';
declare module '@bpmn-io/feel-lint';
declare module 'bpmnlint/config/recommended';
declare module 'bpmnlint/rules/*';
declare module 'dmn-js/lib/Modeler';
