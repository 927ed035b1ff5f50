import type { BehaviourRegistry } from './behaviour.js';
import { passThrough } from './pass-through.js';
import { processBehaviour } from './process-behaviour.js';
import { subProcessBehaviour } from './sub-process-behaviour.js';
import { terminateEndEventBehaviour } from './terminate-end-event-behaviour.js';
import { exclusiveGatewayBehaviour } from './exclusive-gateway-behaviour.js';
import { parallelGatewayBehaviour } from './parallel-gateway-behaviour.js';
import { inclusiveGatewayBehaviour } from './inclusive-gateway-behaviour.js';
import { serviceTaskBehaviour } from './service-task-behaviour.js';
import { userTaskBehaviour } from './user-task-behaviour.js';
import { scriptTaskBehaviour } from './script-task-behaviour.js';
import { errorBoundaryEventBehaviour } from './error-boundary-event-behaviour.js';
import { adHocSubProcessBehaviour } from './ad-hoc-sub-process-behaviour.js';

/** One behaviour per element kind; a kind without one is a compile error. */
export const behaviours: BehaviourRegistry = {
  process: processBehaviour,
  subProcess: subProcessBehaviour,
  startEvent: passThrough<'startEvent'>(),
  endEvent: passThrough<'endEvent'>(),
  terminateEndEvent: terminateEndEventBehaviour,
  exclusiveGateway: exclusiveGatewayBehaviour,
  parallelGateway: parallelGatewayBehaviour,
  inclusiveGateway: inclusiveGatewayBehaviour,
  serviceTask: serviceTaskBehaviour,
  userTask: userTaskBehaviour,
  scriptTask: scriptTaskBehaviour,
  task: passThrough<'task'>(),
  manualTask: passThrough<'manualTask'>(),
  errorBoundaryEvent: errorBoundaryEventBehaviour,
  adHocSubProcess: adHocSubProcessBehaviour,
};
