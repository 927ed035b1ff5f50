/** The deploy-time compiler's public face. */
export { compile } from './compile.js';
export { classify, MALFORMED_PREFIX, NOT_BPMN_PREFIX, type ProblemKind } from './problems.js';
export type * from './types.js';
