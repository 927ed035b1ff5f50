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
  | 'adHocSubProcess';

/** What every flow element has, whatever its kind. */
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
}

export interface ContainerProps {
  /** The none start event that begins this container's flow. */
  startEventId: string;
  /** Direct children (flow nodes only). */
  children: string[];
}

export interface ProcessElement extends ElementBase, ContainerProps {
  kind: 'process';
}
export interface SubProcessElement extends ElementBase, ContainerProps {
  kind: 'subProcess';
}
export interface StartEventElement extends ElementBase {
  kind: 'startEvent';
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
  | AdHocSubProcessElement;

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
