/**
 * Deploy-time FEEL syntax check.
 *
 * feelin's parser is a lezer parser: it never throws, it recovers and marks
 * the places it could not read with error nodes (`⚠` in `tree.toString()`,
 * `node.type.isError`). An expression is valid if its tree has none. We parse
 * rather than evaluate, so no expression runs at deploy time.
 */
import { parseExpression, parseUnaryTests } from 'feelin';
import { FEEL_DIALECT } from '../runtime/feel-dialect.js';

/** Returns why `expression` is not valid FEEL, or `undefined` if it is. */
export function feelSyntaxError(expression: string): string | undefined {
  return syntaxError(expression, parseExpression);
}

/** Returns why `tests` are not valid FEEL unary tests (a decision table's input entry), or `undefined` if they are. */
export function unaryTestsSyntaxError(tests: string): string | undefined {
  return syntaxError(tests, parseUnaryTests);
}

function syntaxError(expression: string, parse: typeof parseExpression): string | undefined {
  if (expression.trim() === '') return 'the expression is empty';
  let at: number | undefined;
  parse(expression, {}, FEEL_DIALECT).iterate({
    enter(node) {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  if (at === undefined) return undefined;
  if (at >= expression.trimEnd().length) return 'unexpected end of expression';
  const near = expression.slice(at, at + 10);
  return `unexpected "${near}" at position ${at + 1}`;
}

/** Zeebe writes expressions as `=…`; the `=` is a marker, not FEEL. */
export function stripEquals(text: string): string {
  return text.startsWith('=') ? text.slice(1) : text;
}
