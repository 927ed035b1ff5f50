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
  36: `the flow id "flow4 " (a trailing space; xsd:ID collapses whitespace, and Camunda 7 loads it) is refused at parse by bpmn-moddle's saxen ("illegal ID"); written "flow4", the run passes`,
  54: `<camunda:out source ="…"> (a space before '=', which XML 1.0 allows: Eq ::= S? '=' S?) is refused at parse by bpmn-moddle's saxen; written source="…", the run passes`,
  60: 'the signal throw event "throw" names no bpmn:Signal (signalRef), which Weft, as Camunda 8, needs to know what to broadcast',
  62: 'the called process "called-process" is marked isExecutable="false" and has no start event (only a task), so it is not deployed, as in Camunda 8: the call activity holds a CALLED_PROCESS_NOT_FOUND incident',
  63: 'the called process "called-process" is marked isExecutable="false" and has no start event (only a manual task), so it is not deployed, as in Camunda 8: the call activity holds a CALLED_PROCESS_NOT_FOUND incident',
  64: 'conditional boundary events; no command to set variables of a running instance',
  73: 'message flows are not executed (as in Camunda 8, a message is published by a worker or the API), and their target Process_2 is marked non-executable, so it is not deployed',
  74: 'sub-process "sub" has no start event (BPMN then starts its activities without incoming flows; Weft, as Camunda 8, needs a none start event); with one added before "subsub", the nested multi-instance runs as asked',
  75: 'sub-process "sub" has no start event (BPMN then starts its activities without incoming flows; Weft, as Camunda 8, needs a none start event); with one added before "user", the parallel runs go as asked',
  77: 'the signal-started spotPriceProcess is marked isExecutable="false", so it is not deployed and the broadcast starts nothing',
  79: 'the error end event "endInError" names no bpmn:Error (errorRef), which BPMN requires of a throw in an executable process and Weft, as Camunda 8, refuses; with one named, all three runs pass',
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
  multiInstance: 'multi-instance activities with neither a loopCardinality nor an input collection (how many runs)',
  standardLoops: 'standard loops with neither a loopCondition nor a loopMaximum (they would never end)',
};
const refused = (...what: string[]) => `refused for what the model leaves out: ${what.join('; ')}`;

export const MIWG_KNOWN_GAPS: Readonly<Record<string, string>> = {
  'A.2.0.bpmn': refused(LEFT_OUT.conditions),
  'A.2.1.bpmn': `${refused(LEFT_OUT.conditions)}; and a condition on a flow leaving a task is refused (see #65)`,
  'A.3.0.bpmn': refused(LEFT_OUT.startless, LEFT_OUT.messages),
  'A.4.0.bpmn': refused(LEFT_OUT.noneExecutable),
  'A.4.1.bpmn': refused(LEFT_OUT.noneExecutable),
  'B.1.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.timers, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes, LEFT_OUT.messages, LEFT_OUT.startless, LEFT_OUT.conditions),
  'B.2.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.messages, LEFT_OUT.signals, LEFT_OUT.timers, LEFT_OUT.codes, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes, LEFT_OUT.startless, LEFT_OUT.conditions, LEFT_OUT.multiInstance, LEFT_OUT.standardLoops),
  'C.1.0.bpmn': `${refused(LEFT_OUT.jobTypes, LEFT_OUT.notFeel)} (JUEL)`,
  'C.1.1.bpmn': `${refused(LEFT_OUT.jobTypes, LEFT_OUT.notFeel)} (bpmn:getDataObject)`,
  'C.2.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.messages, LEFT_OUT.messageJobTypes, LEFT_OUT.codes, LEFT_OUT.conditions),
  'C.3.0.bpmn': refused(LEFT_OUT.startless, LEFT_OUT.notFeel, LEFT_OUT.conditions),
  'C.4.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.messages, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes, LEFT_OUT.conditions),
  'C.5.0.bpmn': refused(LEFT_OUT.noneExecutable, LEFT_OUT.signals, LEFT_OUT.conditions),
  'C.6.0.bpmn': refused(LEFT_OUT.messages, LEFT_OUT.timers, LEFT_OUT.jobTypes, LEFT_OUT.messageJobTypes),
  'C.7.0.bpmn': refused(LEFT_OUT.jobTypes, LEFT_OUT.conditions, LEFT_OUT.multiInstance),
};
