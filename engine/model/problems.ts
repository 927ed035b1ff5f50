/**
 * Deploy-time problems: how they are worded, collected and told apart.
 *
 * `compile()` never throws for bad input; it returns problems. Callers that
 * must answer differently for input that is not a readable BPMN file at all
 * (HTTP 400 `INVALID_XML` / `NOT_BPMN`) and for a readable model Weft cannot
 * run (HTTP 422 `INVALID_MODEL`) use `classify()`, which relies on the message
 * prefixes below and nothing else.
 */
import type { ModelProblem } from './types.js';

/** Prefix of every problem about unreadable input (syntax, DOCTYPE, empty file). */
export const MALFORMED_PREFIX = 'Malformed XML:';
/** Prefix of the problem for well-formed XML whose root is not `bpmn:definitions`. */
export const NOT_BPMN_PREFIX = 'Not a BPMN document:';

export type ProblemKind = 'malformed' | 'not-bpmn' | 'invalid';

/**
 * The overall verdict of a problem list: `malformed` if any problem says the
 * XML is unreadable, else `not-bpmn`, else `invalid`; `null` when there are none.
 */
export function classify(problems: readonly ModelProblem[]): ProblemKind | null {
  if (problems.length === 0) return null;
  if (problems.some((p) => p.message.startsWith(MALFORMED_PREFIX))) return 'malformed';
  if (problems.some((p) => p.message.startsWith(NOT_BPMN_PREFIX))) return 'not-bpmn';
  return 'invalid';
}

/** Where a problem sits; `file` is added by the collector. */
export type ProblemAt = Omit<ModelProblem, 'file' | 'message'>;

/** Collects problems for one file, in the order they are found. */
export class Problems {
  readonly list: ModelProblem[] = [];

  constructor(readonly file: string) {}

  add(at: ProblemAt, message: string): void {
    // Only defined keys, so problems compare and serialise cleanly.
    const problem: ModelProblem = { file: this.file, message };
    if (at.elementId !== undefined) problem.elementId = at.elementId;
    if (at.elementKind !== undefined) problem.elementKind = at.elementKind;
    if (at.field !== undefined) problem.field = at.field;
    this.list.push(problem);
  }
}
