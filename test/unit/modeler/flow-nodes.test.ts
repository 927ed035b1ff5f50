/** The operations page's flow nodes (modeler/src/operations/flow-nodes.ts): what a token may be moved to or mapped from. */
import { describe, expect, it } from 'vitest';
import { isFlowNode, isFlowNodeElement } from '../../../modeler/src/operations/flow-nodes.js';

describe('flow nodes on the operations page', () => {
  it('knows every kind the compiler runs by its XML name, including a plain task, an ad-hoc sub-process and a transaction', () => {
    for (const name of ['task', 'userTask', 'adHocSubProcess', 'transaction', 'subProcess', 'callActivity', 'intermediateCatchEvent', 'eventBasedGateway']) {
      expect(isFlowNodeElement(name), name).toBe(true);
    }
  });

  it('is not fooled by a name that only looks like one', () => {
    for (const name of ['process', 'sequenceFlow', 'textAnnotation', 'dataObjectReference', 'complexGateway', 'messageFlow']) {
      expect(isFlowNodeElement(name), name).toBe(false);
    }
    expect(isFlowNode('bpmn:ComplexGateway')).toBe(false);
  });
});
