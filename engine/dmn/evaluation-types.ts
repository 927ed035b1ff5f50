/**
 * What an evaluation returns: the result, which rules matched, and every
 * decision evaluated on the way (required ones first), as Camunda 8 reports
 * them; or, when a decision cannot be evaluated, data naming the decision,
 * the rule, input or output, and the reason. Plain JSON either way.
 */

export interface MatchedRule {
  ruleId: string;
  /** 1-based row. */
  ruleIndex: number;
  /** Each output's value, by output name (its id when it has none). */
  outputs: Record<string, unknown>;
}

export interface EvaluatedInput {
  inputId: string;
  inputName: string;
  value: unknown;
}

export interface EvaluatedDecision {
  decisionId: string;
  decisionName?: string;
  decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  result: unknown;
  /** Decision tables: the value of each input expression. */
  inputs?: EvaluatedInput[];
  /** Decision tables: the rules whose results count (for FIRST, the first match only). */
  matchedRules?: MatchedRule[];
}

/** Where in a decision an evaluation failed. */
export interface FailurePlace {
  /** The decision that failed: the one asked for, or one it requires. */
  decisionId: string;
  rule?: { id: string; index: number };
  input?: { id: string; name: string };
  output?: { id: string; name: string };
}

/** A failure inside one decision, before the decision is named. */
export type TableFailure = Omit<FailurePlace, 'decisionId'> & { message: string };

export type DecisionEvaluation =
  | { ok: true; decisionId: string; result: unknown; matchedRules: MatchedRule[]; evaluatedDecisions: EvaluatedDecision[] }
  | { ok: false; decisionId: string; failure: FailurePlace & { message: string }; evaluatedDecisions: EvaluatedDecision[] };
