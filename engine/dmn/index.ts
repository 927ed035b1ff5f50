/** Decisions (DMN): compiled at deploy, evaluated pure. */
export { compileDmn, type DmnCompileResult } from './compile-dmn.js';
export { evaluateDecision } from './evaluate-decision.js';
export type * from './types.js';
export type * from './evaluation-types.js';
export { decisionEvaluatedCommand, describeBinding, type DeployedDecision, type EvaluateDecisionEffect, type DecisionEvaluatedCommand } from './called-decision.js';
export { answerDecisions, MAX_DECISIONS_PER_STEP } from './answer-decisions.js';
