/**
 * The executable model: what `compile()` makes of a BPMN file at deploy time.
 *
 * It is plain, immutable, JSON-serialisable data (stored in
 * `process_definitions.model`), so the runtime never touches XML and a
 * definition can be cached, shipped and compared.
 *
 * Expressions keep their source text. A value that starts with `=` in the XML
 * is a FEEL expression (`{ feel }`, the `=` stripped); anything else is a
 * literal (`{ value }`), as in Camunda 8.
 */

export type ValueOrExpression = { value: string } | { feel: string };

/**
 * One `zeebe:input` / `zeebe:output`: `source` is FEEL (`=…`) or a literal
 * string (`noAuth`, `{{secrets.API_KEY}}`), as in Camunda 8; `target` a variable name.
 */
export interface VariableMapping {
  source: ValueOrExpression;
  target: string;
}

/** Every element kind the runtime can execute. Adding one here forces a behaviour (see runtime/behaviours/index.ts). */
export type ElementKind =
  | 'process'
  | 'startEvent'
  | 'endEvent'
  | 'terminateEndEvent'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'serviceTask'
  | 'userTask'
  | 'scriptTask'
  | 'task'
  | 'manualTask'
  | 'subProcess'
  | 'errorBoundaryEvent'
  | 'adHocSubProcess'
  | 'timerStartEvent'
  | 'messageStartEvent'
  | 'timerCatchEvent'
  | 'messageCatchEvent'
  | 'receiveTask'
  | 'timerBoundaryEvent'
  | 'messageBoundaryEvent'
  | 'messageThrowEvent'
  | 'messageEndEvent'
  | 'intermediateThrowEvent'
  | 'sendTask'
  | 'errorEndEvent'
  | 'escalationThrowEvent'
  | 'escalationEndEvent'
  | 'escalationBoundaryEvent'
  | 'linkThrowEvent'
  | 'linkCatchEvent'
  | 'eventBasedGateway'
  | 'eventSubProcess'
  | 'errorStartEvent'
  | 'escalationStartEvent'
  | 'signalStartEvent'
  | 'signalCatchEvent'
  | 'signalBoundaryEvent'
  | 'signalThrowEvent'
  | 'signalEndEvent'
  | 'callActivity'
  | 'compensationBoundaryEvent'
  | 'compensationThrowEvent'
  | 'compensationEndEvent'
  | 'transaction'
  | 'cancelEndEvent'
  | 'cancelBoundaryEvent'
  | 'businessRuleTask';

/** What every flow element has, whatever its kind. */
/**
 * An inbound webhook, read at deploy time from the `zeebe:property` entries
 * Camunda's webhook connector templates write (`inbound.type`
 * `io.camunda:webhook:1`, `inbound.context`, …). Expressions are FEEL
 * without the `=`, checked for syntax; credentials are kept as written
 * (a literal or `{{secrets.NAME}}`) and resolved only when a request comes.
 * The feature in engine/features/webhooks serves it.
 */
export interface InboundWebhook {
  /** The URL path segment: `/webhooks/<context>`. */
  context: string;
  method: 'any' | 'get' | 'post' | 'put' | 'delete';
  hmac?: { secret: string; header: string; algorithm: 'sha_1' | 'sha_256' | 'sha_512' };
  auth: { type: 'NONE' } | { type: 'BASIC'; username: string; password: string } | { type: 'APIKEY'; apiKey: string; apiKeyLocator: string };
  activationCondition?: string;
  /** A request the activation condition refuses is answered 200 (true) or 422 (false, Camunda's default when unset). */
  consumeUnmatchedEvents: boolean;
  correlationKeyExpression?: string;
  messageIdExpression?: string;
  /** How long a published message is kept (`messageTtl`, ISO 8601 duration). */
  messageTtlMs?: number;
  resultVariable?: string;
  resultExpression?: string;
  /** `{body, statusCode, headers}` answered on success (`inbound.responseExpression`, or a body: `inbound.responseBodyExpression`). */
  responseExpression?: string;
  responseBodyExpression?: string;
  /** A one-time verification answer (a provider's challenge), answered before anything is checked or delivered. */
  verificationExpression?: string;
}

export interface ElementBase {
  id: string;
  name?: string;
  /** Id of the enclosing container: the process id for top-level elements, else a sub-process id. */
  parent: string;
  /** Ids of incoming / outgoing sequence flows, in document order. */
  incoming: string[];
  outgoing: string[];
  inputs: VariableMapping[];
  outputs: VariableMapping[];
  /**
   * Activities only: ids of the boundary events attached to this one that wait
   * for something (timer, message), in document order. Their waits are opened
   * when the activity becomes active and closed when it leaves (run.ts).
   * Error boundary events are not listed: they wait for nothing, a thrown
   * error finds them (error-catching.ts).
   */
  boundaryEvents?: string[];
  /** Activities only: multi-instance or a standard loop (`loopCharacteristics`). */
  loop?: LoopCharacteristics;
  /** Activities only: the compensation handler (an activity `isForCompensation`) its compensation boundary event is associated with. */
  compensationHandler?: string;
  /** A compensation handler: not part of the flow, run only when what it compensates is compensated. */
  forCompensation?: boolean;
  /** Gateways and activities: the flow taken when no condition of the others holds. */
  defaultFlow?: string;
}

/**
 * Multi-instance: the activity runs once per item of `inputCollection` (or
 * `loopCardinality` times), one after another or all at once. Each inner run
 * has the item as local `inputElement` and `loopCounter` (from 1); its
 * `outputElement` lands at its index in `outputCollection`. After each inner
 * run, `completionCondition` may end the rest. All expressions are FEEL.
 */
export interface MultiInstanceLoop {
  type: 'multiInstance';
  sequential: boolean;
  inputCollection?: string;
  loopCardinality?: string;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: string;
  completionCondition?: string;
}

/**
 * A standard loop: the activity runs again while `condition` holds (tested
 * after each run, or before the first with `testBefore`), at most `maximum`
 * times.
 */
export interface StandardLoop {
  type: 'standard';
  condition?: string;
  testBefore: boolean;
  maximum?: number;
}

export type LoopCharacteristics = MultiInstanceLoop | StandardLoop;

export interface ContainerProps {
  /** The none start event that begins this container's flow; '' when it has none (a process started only by timer or message). */
  startEventId: string;
  /** Direct children (flow nodes only). */
  children: string[];
  /**
   * Event sub-processes directly inside. Their start events' waits (timer,
   * message) are opened when this container becomes active and closed when
   * it leaves; errors and escalations thrown inside find them (run.ts,
   * error-catching.ts, escalation-catching.ts).
   */
  eventSubProcesses?: string[];
}

export interface ProcessElement extends ElementBase, ContainerProps {
  kind: 'process';
  /** Timer and message start events (top level): instances are created by the schedule or a published message. */
  eventStarts?: string[];
}
export interface SubProcessElement extends ElementBase, ContainerProps {
  kind: 'subProcess';
}
export interface StartEventElement extends ElementBase {
  kind: 'startEvent';
  /** An inbound webhook (Camunda's webhook connector template) that starts the process. */
  webhook?: InboundWebhook;
}
export interface EndEventElement extends ElementBase {
  kind: 'endEvent';
}
export interface TerminateEndEventElement extends ElementBase {
  kind: 'terminateEndEvent';
}
export interface ExclusiveGatewayElement extends ElementBase {
  kind: 'exclusiveGateway';
  defaultFlow?: string;
}
export interface InclusiveGatewayElement extends ElementBase {
  kind: 'inclusiveGateway';
  defaultFlow?: string;
  /**
   * For a joining inclusive gateway: for each incoming flow id, the ids of the
   * elements (in the same container) from which a token could still reach that
   * flow without passing through this gateway. Computed at compile time so the
   * runtime decides "can more tokens still arrive?" by set membership.
   */
  upstream: Record<string, string[]>;
}
export interface ParallelGatewayElement extends ElementBase {
  kind: 'parallelGateway';
}
export interface ServiceTaskElement extends ElementBase {
  kind: 'serviceTask';
  /** `zeebe:taskDefinition type`. */
  jobType: ValueOrExpression;
  /** `zeebe:taskDefinition retries`, default "3". */
  retries: ValueOrExpression;
  /** `zeebe:taskHeaders`, static strings. */
  headers: Record<string, string>;
}
export interface UserTaskElement extends ElementBase {
  kind: 'userTask';
  assignee?: ValueOrExpression;
  /** Comma-separated list or FEEL list. */
  candidateGroups?: ValueOrExpression;
  candidateUsers?: ValueOrExpression;
  /** ISO 8601 date-time, or FEEL. */
  dueDate?: ValueOrExpression;
  followUpDate?: ValueOrExpression;
  /** `zeebe:formDefinition formId` (linked form) or `formKey`. */
  formId?: string;
  formKey?: string;
  /** `zeebe:priorityDefinition priority`, default 50. */
  priority?: ValueOrExpression;
  headers: Record<string, string>;
}
export interface ScriptTaskElement extends ElementBase {
  kind: 'scriptTask';
  /** `zeebe:script expression` (FEEL, `=` stripped). */
  expression: string;
  resultVariable: string;
}
export interface TaskElement extends ElementBase {
  kind: 'task';
}
export interface ManualTaskElement extends ElementBase {
  kind: 'manualTask';
}

/**
 * An ad-hoc sub-process driven by an agent (as Camunda 8's AI agent): a job of
 * `jobType` (default `agent`) asks the agent which inner activities to run
 * next, with which variables; they run as real BPMN elements, and when they
 * are done the agent is asked again, until it says it is done.
 */
export interface AdHocSubProcessElement extends ElementBase, ContainerProps {
  kind: 'adHocSubProcess';
  /** The inner activities the agent may choose: flow nodes without incoming flows. */
  activities: string[];
  jobType: ValueOrExpression;
  retries: ValueOrExpression;
  headers: Record<string, string>;
}

/**
 * An interrupting error boundary event: when a BPMN error whose code matches
 * (or any code, when `errorCode` is absent) is thrown inside the activity it
 * is attached to, the activity is terminated and the token leaves here.
 */
export interface ErrorBoundaryEventElement extends ElementBase {
  kind: 'errorBoundaryEvent';
  /** Id of the activity the event is attached to (same container). */
  attachedTo: string;
  /** `bpmn:Error errorCode`; absent: catches every error. */
  errorCode?: string;
}

// ---------------------------------------------------------------- events that wait

/**
 * A timer as written: exactly one of `timeDate` (an ISO 8601 date-time),
 * `timeDuration` (an ISO 8601 duration) or `timeCycle` (a repeating interval
 * `R3/PT10M`, or a cron expression as Camunda 8 allows), each a literal or
 * FEEL. Evaluated when the timer is armed (runtime/timer-schedule.ts).
 */
export interface TimerDefinition {
  type: 'date' | 'duration' | 'cycle';
  expression: ValueOrExpression;
}

/**
 * A message as written: its `bpmn:Message name` (literal or FEEL) and
 * `zeebe:subscription correlationKey` (FEEL, `=` stripped; absent on start
 * events, where it is optional in Camunda 8).
 */
export interface MessageDefinition {
  name: ValueOrExpression;
  correlationKey?: ValueOrExpression;
}

/**
 * A start event with a timer. At the top of a process, instances are created
 * on its schedule; in an event sub-process, it starts that sub-process while
 * its enclosing scope is active (`interrupting` says whether that ends the
 * rest of the scope).
 */
export interface TimerStartEventElement extends ElementBase {
  kind: 'timerStartEvent';
  timer: TimerDefinition;
  interrupting?: boolean;
}
/** A start event with a message: at the top of a process a published message creates an instance; in an event sub-process, as for timers. */
export interface MessageStartEventElement extends ElementBase {
  kind: 'messageStartEvent';
  message: MessageDefinition;
  interrupting?: boolean;
  /** An inbound webhook whose requests are published as this event's message. */
  webhook?: InboundWebhook;
}
/** The start of an error event sub-process; without a code it catches every error. Always interrupting. */
export interface ErrorStartEventElement extends ElementBase {
  kind: 'errorStartEvent';
  errorCode?: string;
}
/** The start of an escalation event sub-process; without a code it catches every escalation. */
export interface EscalationStartEventElement extends ElementBase {
  kind: 'escalationStartEvent';
  escalationCode?: string;
  interrupting: boolean;
}
/**
 * An event sub-process: not entered by flows, but started by the event of
 * its one start event while its enclosing scope (process or sub-process) is
 * active. Interrupting, it ends everything else in the scope first; a scope
 * of its own for variables, like a sub-process.
 */
export interface EventSubProcessElement extends ElementBase, ContainerProps {
  kind: 'eventSubProcess';
  interrupting: boolean;
}
/** An intermediate catch event with a timer: the token waits until it is due. */
export interface TimerCatchEventElement extends ElementBase {
  kind: 'timerCatchEvent';
  timer: TimerDefinition;
}
/** An intermediate catch event with a message: the token waits until the message is correlated. */
export interface MessageCatchEventElement extends ElementBase {
  kind: 'messageCatchEvent';
  message: MessageDefinition;
  /** An inbound webhook whose requests are published as this event's message. */
  webhook?: InboundWebhook;
}
/**
 * A receive task: waits for its message, like a message catch event, but is
 * an activity (boundary events, mappings). One that names no message (Camunda
 * 7 diagrams use them as plain wait states) waits until it is triggered
 * (the TRIGGER command: an operator, or a test).
 */
export interface ReceiveTaskElement extends ElementBase {
  kind: 'receiveTask';
  message?: MessageDefinition;
  /** An inbound webhook whose requests are published as this task's message. */
  webhook?: InboundWebhook;
}

/** What every boundary event that waits for something has. */
export interface WaitingBoundaryProps {
  /** Id of the activity the event is attached to (same container). */
  attachedTo: string;
  /** `cancelActivity`: true ends the activity when the event happens; false lets it run on beside the new token. */
  interrupting: boolean;
}
export interface TimerBoundaryEventElement extends ElementBase, WaitingBoundaryProps {
  kind: 'timerBoundaryEvent';
  timer: TimerDefinition;
}
export interface MessageBoundaryEventElement extends ElementBase, WaitingBoundaryProps {
  kind: 'messageBoundaryEvent';
  message: MessageDefinition;
  /** An inbound webhook whose requests are published as this event's message. */
  webhook?: InboundWebhook;
}

/**
 * A message intermediate throw or end event: as in Camunda 8, a job of its
 * `zeebe:taskDefinition` type (a worker or connector sends the message), so
 * it behaves as a service task; an end event's token then ends.
 */
/** A none intermediate throw event: marks a milestone; the token passes on. */
export interface IntermediateThrowEventElement extends ElementBase {
  kind: 'intermediateThrowEvent';
}

export interface MessageThrowProps {
  jobType: ValueOrExpression;
  retries: ValueOrExpression;
  headers: Record<string, string>;
}
export interface MessageThrowEventElement extends ElementBase, MessageThrowProps {
  kind: 'messageThrowEvent';
}
export interface MessageEndEventElement extends ElementBase, MessageThrowProps {
  kind: 'messageEndEvent';
}
/** A send task: as in Camunda 8, a job like a service task's (a worker sends the message). */
export interface SendTaskElement extends ElementBase, MessageThrowProps {
  kind: 'sendTask';
}

// ---------------------------------------------------------------- events that throw inside the instance

/** An error end event: throws the BPMN error `errorCode` to the nearest catcher up the scope chain. */
export interface ErrorEndEventElement extends ElementBase {
  kind: 'errorEndEvent';
  errorCode: string;
}
/** An escalation intermediate throw or end event: raises `escalationCode`; uncaught, the flow goes on. */
export interface EscalationThrowEventElement extends ElementBase {
  kind: 'escalationThrowEvent';
  escalationCode: string;
}
export interface EscalationEndEventElement extends ElementBase {
  kind: 'escalationEndEvent';
  escalationCode: string;
}
/** An escalation boundary event; without a code it catches every escalation. */
export interface EscalationBoundaryEventElement extends ElementBase, WaitingBoundaryProps {
  kind: 'escalationBoundaryEvent';
  escalationCode?: string;
}
/** A link throw event: the token jumps to the link catch event of the same name in the same scope. */
export interface LinkThrowEventElement extends ElementBase {
  kind: 'linkThrowEvent';
  /** Id of the link catch event it jumps to (resolved at compile time). */
  target: string;
  linkName: string;
}
export interface LinkCatchEventElement extends ElementBase {
  kind: 'linkCatchEvent';
  linkName: string;
}
/**
 * An event-based gateway: waits for the events that follow it (timer,
 * message catch events); the first to happen wins and the others are
 * withdrawn in the same step.
 */
export interface EventBasedGatewayElement extends ElementBase {
  kind: 'eventBasedGateway';
}

/** A signal as written: its `bpmn:Signal name` (literal or FEEL). Signals are broadcast: every waiting catcher gets one. */
export interface SignalDefinition {
  name: ValueOrExpression;
}

/** A start event with a signal: at the top of a process every broadcast of the signal starts an instance; in an event sub-process, as for timers. */
export interface SignalStartEventElement extends ElementBase {
  kind: 'signalStartEvent';
  signal: SignalDefinition;
  interrupting?: boolean;
}
/** An intermediate signal catch event: the token waits until the signal is broadcast. */
export interface SignalCatchEventElement extends ElementBase {
  kind: 'signalCatchEvent';
  signal: SignalDefinition;
}
export interface SignalBoundaryEventElement extends ElementBase, WaitingBoundaryProps {
  kind: 'signalBoundaryEvent';
  signal: SignalDefinition;
}
/** Signal throw and end events broadcast the signal (with the event's input-mapped variables) to every catcher, in this instance and all others. */
export interface SignalThrowEventElement extends ElementBase {
  kind: 'signalThrowEvent';
  signal: SignalDefinition;
}
export interface SignalEndEventElement extends ElementBase {
  kind: 'signalEndEvent';
  signal: SignalDefinition;
}

/**
 * A call activity: starts an instance of another process (`processId`, FEEL
 * allowed; `zeebe:calledElement`, or BPMN's `calledElement`) and waits for it.
 * The child sees all of the parent's variables unless
 * `propagateAllParentVariables` is false (then only the input mappings'); its
 * variables come back unless `propagateAllChildVariables` is false (then only
 * through output mappings). `binding` picks the version: the latest, the one
 * deployed with the parent, or the one with a version tag.
 */
export interface CallActivityElement extends ElementBase {
  kind: 'callActivity';
  processId: ValueOrExpression;
  propagateAllParentVariables: boolean;
  propagateAllChildVariables: boolean;
  binding: Binding;
}

/** Which deployed version a call activity or business rule task uses: the latest, the one deployed with the process, or the one with a version tag (Camunda 8's bindingType). */
export type Binding = { type: 'latest' } | { type: 'deployment' } | { type: 'versionTag'; versionTag: string };

/**
 * A business rule task. With `zeebe:calledDecision` the engine evaluates the
 * DMN decision `decisionId` (FEEL allowed) with the variables the task sees,
 * in the step's transaction, and its result lands in `resultVariable`. With
 * `zeebe:taskDefinition` instead it is a job like a service task's (Camunda 8
 * allows both).
 */
export type BusinessRuleTaskElement = ElementBase & { kind: 'businessRuleTask' } & (
    | { implementation: 'decision'; decisionId: ValueOrExpression; resultVariable: string; binding: Binding }
    | ({ implementation: 'job' } & MessageThrowProps)
  );

/**
 * A compensation boundary event: marks its activity as compensable by the
 * handler it is associated with. It is never entered: when the activity has
 * completed, a compensation throw runs the handler.
 */
export interface CompensationBoundaryEventElement extends ElementBase {
  kind: 'compensationBoundaryEvent';
  attachedTo: string;
  handler: string;
}
/**
 * A compensation throw or end event: compensates the completed activities of
 * its scope (or only `activityRef`, and what ran inside it), most recent
 * first, and waits for the handlers unless `waitForCompletion` is false.
 */
export interface CompensationThrowEventElement extends ElementBase {
  kind: 'compensationThrowEvent';
  activityRef?: string;
  waitForCompletion: boolean;
}
export interface CompensationEndEventElement extends ElementBase {
  kind: 'compensationEndEvent';
  activityRef?: string;
  waitForCompletion: boolean;
}
/** A transaction: a sub-process whose cancel end event compensates what completed inside it and leaves by its cancel boundary event. */
export interface TransactionElement extends ElementBase, ContainerProps {
  kind: 'transaction';
}
/** A cancel end event (inside a transaction): compensates the transaction, then cancels it. */
export interface CancelEndEventElement extends ElementBase {
  kind: 'cancelEndEvent';
}
/** A cancel boundary event (on a transaction): where the token leaves a canceled transaction. */
export interface CancelBoundaryEventElement extends ElementBase {
  kind: 'cancelBoundaryEvent';
  attachedTo: string;
}

export type FlowElement =
  | ProcessElement
  | SubProcessElement
  | StartEventElement
  | EndEventElement
  | TerminateEndEventElement
  | ExclusiveGatewayElement
  | InclusiveGatewayElement
  | ParallelGatewayElement
  | ServiceTaskElement
  | UserTaskElement
  | ScriptTaskElement
  | TaskElement
  | ManualTaskElement
  | ErrorBoundaryEventElement
  | AdHocSubProcessElement
  | TimerStartEventElement
  | MessageStartEventElement
  | TimerCatchEventElement
  | MessageCatchEventElement
  | ReceiveTaskElement
  | TimerBoundaryEventElement
  | MessageBoundaryEventElement
  | MessageThrowEventElement
  | MessageEndEventElement
  | IntermediateThrowEventElement
  | SendTaskElement
  | ErrorEndEventElement
  | EscalationThrowEventElement
  | EscalationEndEventElement
  | EscalationBoundaryEventElement
  | LinkThrowEventElement
  | LinkCatchEventElement
  | EventBasedGatewayElement
  | EventSubProcessElement
  | ErrorStartEventElement
  | EscalationStartEventElement
  | SignalStartEventElement
  | SignalCatchEventElement
  | SignalBoundaryEventElement
  | SignalThrowEventElement
  | SignalEndEventElement
  | CallActivityElement
  | CompensationBoundaryEventElement
  | CompensationThrowEventElement
  | CompensationEndEventElement
  | TransactionElement
  | CancelEndEventElement
  | CancelBoundaryEventElement
  | BusinessRuleTaskElement;

export type ElementOfKind<K extends ElementKind> = Extract<FlowElement, { kind: K }>;

export interface SequenceFlow {
  id: string;
  name?: string;
  sourceRef: string;
  targetRef: string;
  /** FEEL condition, `=` stripped. Absent means unconditional. */
  condition?: string;
}

/** One executable process, compiled from one `bpmn:process`. */
export interface ExecutableProcess {
  /** The BPMN process id (`processId` in the API). */
  id: string;
  name?: string;
  /** Days its ended instances are kept (camunda:historyTimeToLive, or the weft:historyTimeToLive property; history-ttl.ts); absent: the server's WEFT_HISTORY_TTL_DAYS. */
  historyTtlDays?: number;
  /** Set only by the migration's backfill (20261214000400) for a version deployed before TTLs were compiled whose stored `historyTimeToLive` is not whole days: its instances are kept forever. The compiler never sets it (such a value is a deploy problem). */
  historyTtlUnreadable?: string;
  /** All elements by id, including the process element itself under `id`. */
  elements: Record<string, FlowElement>;
  flows: Record<string, SequenceFlow>;
}

/** A problem found at deploy time; any problem makes the deployment a 422. */
export interface ModelProblem {
  file: string;
  elementId?: string;
  /** BPMN kind as written, e.g. `bpmn:IntermediateCatchEvent`. */
  elementKind?: string;
  /** Which attribute or extension holds the mistake, e.g. `zeebe:taskDefinition.type`. */
  field?: string;
  message: string;
}

export interface CompileResult {
  processes: ExecutableProcess[];
  problems: ModelProblem[];
}
