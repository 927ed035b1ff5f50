/**
 * Compiled decisions: what `compileDmn()` makes of a `.dmn` file at deploy
 * time (stored as JSON in `decision_requirements.model`), so evaluation never
 * touches XML.
 *
 * One file is one decision requirements graph (DRG, its `definitions`): the
 * decisions it holds, each with the decisions it requires. Expressions keep
 * their FEEL text; DMN writes FEEL without the leading `=` of BPMN.
 */

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export const HIT_POLICIES: readonly HitPolicy[] = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
export const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

export interface DecisionInput {
  id: string;
  label?: string;
  /** The input expression (FEEL); its value is `?` in the rules' input entries. */
  expression: string;
}

export interface DecisionOutput {
  id: string;
  /** Required when a table has more than one output: the key of the output in the result. */
  name?: string;
  label?: string;
  /** `outputValues` as a list, highest priority first (PRIORITY and OUTPUT ORDER sort by it). */
  priorities?: unknown[];
  /** `defaultOutputEntry` (FEEL): the value when no rule matches. */
  defaultValue?: string;
}

export interface DecisionRule {
  id: string;
  /** 1-based row, as a person reads the table. */
  index: number;
  /** One unary-tests text per input, `-` for "any". */
  inputEntries: string[];
  /** One FEEL text per output; null for an empty cell (the output is null). */
  outputEntries: (string | null)[];
}

export interface DecisionTableLogic {
  type: 'decisionTable';
  id?: string;
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: DecisionInput[];
  outputs: DecisionOutput[];
  rules: DecisionRule[];
}

export interface LiteralExpressionLogic {
  type: 'literalExpression';
  id?: string;
  expression: string;
}

export interface CompiledDecision {
  id: string;
  name?: string;
  /** `zeebe:versionTag`, for a business rule task bound by version tag. */
  versionTag?: string;
  /** `variable name`: the name a requiring decision reads this one's result by (besides its id). */
  variableName?: string;
  /** Ids of the decisions whose results it reads, in document order (informationRequirement). */
  requires: string[];
  logic: DecisionTableLogic | LiteralExpressionLogic;
}

/** One `.dmn` file: its decisions by id. */
export interface CompiledDrg {
  /** The `definitions` id. */
  id: string;
  name?: string;
  decisions: Record<string, CompiledDecision>;
}
