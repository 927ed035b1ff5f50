/**
 * The transformer for each supported BPMN type; any other flow node type is
 * unsupported. Keyed by supported-elements.ts, the list the modeler page shows
 * too: a kind missing here, or here only, does not compile.
 */
import type { Transformer } from './context.js';
import type { SupportedFlowNode } from '../supported-elements.js';
import { endEvent, startEvent } from './event-transformers.js';
import { boundaryEvent } from './boundary-event-transformer.js';
import { adHocSubProcess } from './ad-hoc-sub-process-transformer.js';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway, parallelGateway } from './gateway-transformers.js';
import { scriptTask } from './script-task-transformer.js';
import { sendTask, serviceTask } from './service-task-transformer.js';
import { subProcess, transaction } from './sub-process-transformer.js';
import { manualTask, task } from './task-transformers.js';
import { userTask } from './user-task-transformer.js';
import { intermediateCatchEvent, intermediateThrowEvent } from './intermediate-event-transformers.js';
import { receiveTask } from './receive-task-transformer.js';
import { callActivity } from './call-activity-transformer.js';
import { businessRuleTask } from './business-rule-task-transformer.js';

export const transformers: Readonly<Record<SupportedFlowNode, Transformer>> = {
  'bpmn:StartEvent': startEvent,
  'bpmn:EndEvent': endEvent,
  'bpmn:ExclusiveGateway': exclusiveGateway,
  'bpmn:ParallelGateway': parallelGateway,
  'bpmn:InclusiveGateway': inclusiveGateway,
  'bpmn:EventBasedGateway': eventBasedGateway,
  'bpmn:ServiceTask': serviceTask,
  'bpmn:UserTask': userTask,
  'bpmn:ScriptTask': scriptTask,
  'bpmn:Task': task,
  'bpmn:ManualTask': manualTask,
  'bpmn:SubProcess': subProcess,
  'bpmn:BoundaryEvent': boundaryEvent,
  'bpmn:AdHocSubProcess': adHocSubProcess,
  'bpmn:IntermediateCatchEvent': intermediateCatchEvent,
  'bpmn:IntermediateThrowEvent': intermediateThrowEvent,
  'bpmn:ReceiveTask': receiveTask,
  'bpmn:SendTask': sendTask,
  'bpmn:CallActivity': callActivity,
  'bpmn:BusinessRuleTask': businessRuleTask,
  'bpmn:Transaction': transaction,
};

export type { TransformContext, Transformer } from './context.js';
