/**
 * `loopCharacteristics` on an activity: multi-instance (BPMN's
 * `isSequential`, `loopCardinality` and `completionCondition`, with Camunda
 * 8's `zeebe:loopCharacteristics` inputCollection / inputElement /
 * outputCollection / outputElement) or a standard loop (`loopCondition`,
 * `testBefore`, `loopMaximum`).
 */
import type { LoopCharacteristics } from '../types.js';
import { extension, type FlowNode, type ModdleElement } from '../moddle.js';
import type { TransformContext } from './context.js';
import { at, expression } from './zeebe-properties.js';

interface Formal extends ModdleElement {
  body?: string;
}
interface LoopNode extends ModdleElement {
  isSequential?: boolean;
  loopCardinality?: Formal;
  completionCondition?: Formal;
  loopCondition?: Formal | string;
  testBefore?: boolean;
  loopMaximum?: number | string;
  extensionElements?: FlowNode['extensionElements'];
}
interface ZeebeLoop extends ModdleElement {
  inputCollection?: string;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: string;
}

const ACTIVITY_TYPES = new Set(['bpmn:Task', 'bpmn:ServiceTask', 'bpmn:UserTask', 'bpmn:ScriptTask', 'bpmn:ManualTask', 'bpmn:ReceiveTask', 'bpmn:SendTask', 'bpmn:SubProcess', 'bpmn:CallActivity', 'bpmn:BusinessRuleTask', 'bpmn:AdHocSubProcess']);

/** The loop of `node`, checked; undefined when it has none (or a problem was reported). */
export function readLoop(node: FlowNode, ctx: TransformContext): LoopCharacteristics | undefined {
  const loop = node.loopCharacteristics as LoopNode | undefined;
  if (!loop) return undefined;
  if (!ACTIVITY_TYPES.has(node.$type)) {
    ctx.problems.add(at(node, 'loopCharacteristics'), `Only activities can repeat; ${node.$type} "${node.id}" has ${loop.$type}`);
    return undefined;
  }
  const feel = (raw: string | undefined, field: string) => (raw?.trim() ? expression(raw, at(node, field), ctx.problems) : undefined);
  if (loop.$type === 'bpmn:StandardLoopCharacteristics') {
    const raw = typeof loop.loopCondition === 'string' ? loop.loopCondition : loop.loopCondition?.body;
    const maximum = loop.loopMaximum === undefined || loop.loopMaximum === '' ? undefined : Number(loop.loopMaximum);
    if (maximum !== undefined && (!Number.isInteger(maximum) || maximum < 0)) {
      ctx.problems.add(at(node, 'loopMaximum'), `loopMaximum of "${node.id}" must be a non-negative integer, got "${loop.loopMaximum}"`);
      return undefined;
    }
    const condition = feel(raw, 'loopCondition');
    if (condition === undefined && maximum === undefined) {
      ctx.problems.add(at(node, 'loopCondition'), `The standard loop of "${node.id}" needs a loopCondition or a loopMaximum, or it never ends`);
      return undefined;
    }
    return { type: 'standard', testBefore: loop.testBefore === true, ...(condition !== undefined ? { condition } : {}), ...(maximum !== undefined ? { maximum } : {}) };
  }
  const zeebe = extension<ZeebeLoop>(loop, 'zeebe:LoopCharacteristics');
  const result: LoopCharacteristics = { type: 'multiInstance', sequential: loop.isSequential === true };
  const inputCollection = feel(zeebe?.inputCollection, 'zeebe:loopCharacteristics.inputCollection');
  const loopCardinality = feel(loop.loopCardinality?.body, 'loopCardinality');
  if (inputCollection) result.inputCollection = inputCollection;
  if (loopCardinality) result.loopCardinality = loopCardinality;
  if (!inputCollection && !loopCardinality) {
    ctx.problems.add(
      at(node, 'zeebe:loopCharacteristics.inputCollection'),
      `Multi-instance "${node.id}" needs an input collection (zeebe:loopCharacteristics inputCollection) or a loopCardinality: how many times to run`,
    );
    return undefined;
  }
  const name = (raw: string | undefined, field: string) => {
    const value = raw?.trim();
    if (value && !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(value)) ctx.problems.add(at(node, field), `${field} of "${node.id}" must be a variable name, got "${value}"`);
    return value || undefined;
  };
  const inputElement = name(zeebe?.inputElement, 'zeebe:loopCharacteristics.inputElement');
  const outputCollection = name(zeebe?.outputCollection, 'zeebe:loopCharacteristics.outputCollection');
  const outputElement = feel(zeebe?.outputElement, 'zeebe:loopCharacteristics.outputElement');
  const completionCondition = feel(loop.completionCondition?.body, 'completionCondition');
  if (inputElement) result.inputElement = inputElement;
  if (outputCollection) result.outputCollection = outputCollection;
  if (outputElement) result.outputElement = outputElement;
  if (completionCondition) result.completionCondition = completionCondition;
  if (outputElement && !outputCollection) {
    ctx.problems.add(at(node, 'zeebe:loopCharacteristics.outputCollection'), `Multi-instance "${node.id}" has an outputElement but no outputCollection to collect it in`);
  }
  return result;
}
