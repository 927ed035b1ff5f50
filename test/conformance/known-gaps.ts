/**
 * What Weft cannot do yet: EXPECTATIONS.md entries by number (KNOWN_GAPS)
 * and MIWG reference models by file (MIWG_KNOWN_GAPS), each with the reason.
 *
 * The test of a listed item asserts that the behaviour FAILS (see
 * harness/expectation.ts), so `npm test` stays green. When your change
 * makes one pass, its test turns red: take it off this list (and, for a new
 * element kind, add the kind to supported-kinds.ts). `npm run conformance`
 * prints every item's state and how each gap fails today.
 */
export const KNOWN_GAPS: Readonly<Record<number, string>> = {
  10: 'Weft refuses conditions on flows leaving a start event (as Zeebe does)',
  11: 'Weft refuses conditions on flows leaving a start event (as Zeebe does)',
  25: 'messageRef="tns:newInvoice", a QName with the prefix of the target namespace, is left unresolved (message start events themselves run)',
  35: 'call activities; errorRef="myError" names no <error> (Camunda 7 takes it as the code)',
  36: 'multi-instance; the flow id "flow4 " (trailing space) is refused at parse; errorRef="myError" names no <error>',
  42: 'compensation (boundary and throw events), multi-instance',
  43: 'compensation (boundary and throw events), multi-instance',
  44: 'transactions, cancel boundary events (and, inside, compensation and multi-instance)',
  53: 'call activities',
  54: 'call activities; an attribute written `source ="…"` is refused at parse',
  55: 'multi-instance (loopCardinality)',
  56: 'multi-instance (loopCardinality)',
  57: 'multi-instance over a collection; loopDataInputRef naming a variable is refused as unresolved',
  58: 'multi-instance with a completion condition',
  60: 'the signal throw event "throw" names no bpmn:Signal (signalRef), which Weft, as Camunda 8, needs to know what to broadcast',
  62: 'call activities (of a non-executable process in the same file)',
  63: 'call activities (of a non-executable process in the same file)',
  64: 'conditional boundary events; no command to set variables of a running instance',
  65: "Weft refuses conditions on flows leaving an activity, which BPMN allows (with the activity's default flow)",
  68: 'two flows from the event-based gateway into one catch event are refused as "another incoming flow" (BPMN forbids only flows from elsewhere)',
  73: 'message flows are not executed (as in Camunda 8, a message is published by a worker or the API), and their target Process_2 is marked non-executable, so it is not deployed',
  74: 'multi-instance sub-processes; sub-processes without a start event',
  75: 'multi-instance sub-processes; sub-processes without a start event',
  77: 'the signal-started spotPriceProcess is marked isExecutable="false", so it is not deployed and the broadcast starts nothing',
  79: 'transactions, cancel end and boundary events, compensation',
};

/** Why MIWG files are refused beyond the kinds Weft does not execute: what an interchange model leaves out, which an engine must have. */
const LEFT_OUT = {
  noneExecutable: 'several processes, none marked isExecutable (refused as a whole)',
  conditions: 'flows out of forking exclusive gateways without conditions',
  jobTypes: 'service tasks without a job type',
  messageJobTypes: 'send tasks and message throw/end events without a job type',
  messages: 'message events naming no bpmn:Message, or one without a name',
  signals: 'signal events naming no bpmn:Signal',
  timers: 'timer events without timeDate, timeDuration or timeCycle',
  codes: 'error or escalation throws naming no bpmn:Error / bpmn:Escalation',
  startless: 'sub-processes without a start event',
  notFeel: 'conditions not written in FEEL',
};
const refused = (...what: string[]) => `refused for what the model leaves out: ${what.join('; ')}`;

/**
 * The compiler reports an event-based gateway whose catch events were all
 * refused (no messageRef, no timer) as having too few outgoing flows: a
 * follow-on problem of the refused targets, not one of its own.
 */
const GATEWAY_FOLLOW_ON = 'compiler bug: false follow-on "event-based gateway needs at least two outgoing flows" after its catch events are refused';

export const MIWG_KNOWN_GAPS: Readonly<Record<string, string>> = {
  'A.2.0.bpmn': refused(LEFT_OUT.conditions),
  'A.2.1.bpmn': `${refused(LEFT_OUT.conditions)}; and a condition on a flow leaving a task is refused (see #65)`,
  'A.3.0.bpmn': refused(LEFT_OUT.startless, LEFT_OUT.messages),
  'A.4.0.bpmn': refused(LEFT_OUT.noneExecutable),
  'A.4.1.bpmn': refused(LEFT_OUT.noneExecutable),
  'B.1.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.timers, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes, LEFT_OUT.messages, LEFT_OUT.startless, LEFT_OUT.conditions),
  'B.2.0.bpmn': `${refused(LEFT_OUT.noneExecutable, LEFT_OUT.messages, LEFT_OUT.signals, LEFT_OUT.timers, LEFT_OUT.codes, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes, LEFT_OUT.startless, LEFT_OUT.conditions)}; ${GATEWAY_FOLLOW_ON}`,
  'C.1.0.bpmn': `${refused(LEFT_OUT.jobTypes, LEFT_OUT.notFeel)} (JUEL)`,
  'C.1.1.bpmn': `${refused(LEFT_OUT.jobTypes, LEFT_OUT.notFeel)} (bpmn:getDataObject)`,
  'C.2.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.messages, LEFT_OUT.messageJobTypes, LEFT_OUT.codes, LEFT_OUT.conditions),
  'C.3.0.bpmn': refused(LEFT_OUT.startless, LEFT_OUT.notFeel, LEFT_OUT.conditions),
  'C.4.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.messages, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes, LEFT_OUT.conditions),
  'C.5.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.signals, LEFT_OUT.conditions),
  'C.6.0.bpmn': `${refused(LEFT_OUT.messages, LEFT_OUT.timers, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes)}; ${GATEWAY_FOLLOW_ON}`,
  'C.7.0.bpmn': refused(LEFT_OUT.jobTypes, LEFT_OUT.conditions),
  'C.8.1.bpmn': 'the outMessageRef "triso:unspecified" of three interface operations (a vendor placeholder that names nothing) is refused as an unresolved reference, though Weft uses no interfaces',
};
