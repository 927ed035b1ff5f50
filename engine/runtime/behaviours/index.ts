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
import { timerCatchEventBehaviour } from './timer-catch-event-behaviour.js';
import { messageCatchEventBehaviour } from './message-catch-event-behaviour.js';
import { receiveTaskBehaviour } from './receive-task-behaviour.js';
import { timerBoundaryEventBehaviour } from './timer-boundary-event-behaviour.js';
import { messageBoundaryEventBehaviour } from './message-boundary-event-behaviour.js';
import { jobBehaviour } from './job-behaviour.js';
import { eventBasedGatewayBehaviour } from './event-based-gateway-behaviour.js';
import { eventSubProcessBehaviour } from './event-sub-process-behaviour.js';
import { callActivityBehaviour } from './call-activity-behaviour.js';
import { businessRuleTaskBehaviour } from './business-rule-task-behaviour.js';
import {
  cancelBoundaryEventBehaviour,
  cancelEndEventBehaviour,
  compensationBoundaryEventBehaviour,
  compensationEndEventBehaviour,
  compensationThrowEventBehaviour,
  transactionBehaviour,
} from './compensation-behaviours.js';
import { signalBoundaryEventBehaviour, signalCatchEventBehaviour, signalEndEventBehaviour, signalStartEventBehaviour, signalThrowEventBehaviour } from './signal-behaviours.js';
import { errorStartEventBehaviour, escalationStartEventBehaviour, messageStartEventBehaviour, timerStartEventBehaviour } from './event-start-behaviours.js';
import { linkThrowEventBehaviour } from './link-events-behaviour.js';
import { errorEndEventBehaviour } from './error-end-event-behaviour.js';
import { escalationBoundaryEventBehaviour, escalationEndEventBehaviour, escalationThrowEventBehaviour } from './escalation-behaviours.js';

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
  timerStartEvent: timerStartEventBehaviour,
  messageStartEvent: messageStartEventBehaviour,
  timerCatchEvent: timerCatchEventBehaviour,
  messageCatchEvent: messageCatchEventBehaviour,
  receiveTask: receiveTaskBehaviour,
  timerBoundaryEvent: timerBoundaryEventBehaviour,
  messageBoundaryEvent: messageBoundaryEventBehaviour,
  messageThrowEvent: jobBehaviour<'messageThrowEvent'>(),
  messageEndEvent: jobBehaviour<'messageEndEvent'>(),
  intermediateThrowEvent: passThrough<'intermediateThrowEvent'>(),
  sendTask: jobBehaviour<'sendTask'>(),
  errorEndEvent: errorEndEventBehaviour,
  escalationThrowEvent: escalationThrowEventBehaviour,
  escalationEndEvent: escalationEndEventBehaviour,
  escalationBoundaryEvent: escalationBoundaryEventBehaviour,
  linkThrowEvent: linkThrowEventBehaviour,
  linkCatchEvent: passThrough<'linkCatchEvent'>(),
  eventBasedGateway: eventBasedGatewayBehaviour,
  eventSubProcess: eventSubProcessBehaviour,
  errorStartEvent: errorStartEventBehaviour,
  escalationStartEvent: escalationStartEventBehaviour,
  signalStartEvent: signalStartEventBehaviour,
  signalCatchEvent: signalCatchEventBehaviour,
  signalBoundaryEvent: signalBoundaryEventBehaviour,
  signalThrowEvent: signalThrowEventBehaviour,
  signalEndEvent: signalEndEventBehaviour,
  callActivity: callActivityBehaviour,
  compensationBoundaryEvent: compensationBoundaryEventBehaviour,
  compensationThrowEvent: compensationThrowEventBehaviour,
  compensationEndEvent: compensationEndEventBehaviour,
  transaction: transactionBehaviour,
  cancelEndEvent: cancelEndEventBehaviour,
  cancelBoundaryEvent: cancelBoundaryEventBehaviour,
  businessRuleTask: businessRuleTaskBehaviour,
};
