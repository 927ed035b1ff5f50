/**
 * Which expressions need the time bound.
 *
 * Only iteration and calls can make an evaluation take longer than reading
 * its variables: `for`, `some`/`every`, filters (`list[item > 1]`, nested
 * ones are quadratic), function definitions and calls of user functions or of
 * builtins that can (`matches` and the other regular expressions, `sort` with
 * a function, `distinct values`). An expression without them (`amount > 1000`,
 * `"charge-" + region`, `sum(order.lines.price)`, `now() + duration("P1D")`)
 * is evaluated in time linear in its text and its variables, which the engine
 * has already read, so it runs without the watchdog thread that the bound
 * costs per call (feel-sandbox.ts); the size bounds still apply. Most
 * expressions the engine evaluates per token move are of this kind.
 *
 * The expression is parsed without the variables: a name with spaces that
 * only the variables resolve then fails to parse, and an expression that does
 * not parse cleanly counts as one that can run long. A decision table's input
 * entries are unary tests (`> 10, "gold"`), read with that grammar.
 */
import { parseExpression, parseUnaryTests } from 'feelin';
import { FEEL_DIALECT } from './feel-dialect.js';

const RUN_LONG = new Set(['ForExpression', 'QuantifiedExpression', 'FilterExpression', 'FunctionDefinition']);

/** Builtins whose work is linear in their arguments (a variable of the same name is not a function: variables are JSON). */
const LINEAR_BUILTINS = new Set([
  'not', 'is', 'string', 'number', 'boolean', 'now', 'today',
  'substring', 'substring before', 'substring after', 'string length', 'upper case', 'lower case',
  'contains', 'starts with', 'ends with', 'string join',
  'list contains', 'count', 'min', 'max', 'sum', 'mean', 'all', 'any', 'product', 'median', 'stddev',
  'sublist', 'append', 'concatenate', 'insert before', 'remove', 'reverse', 'index of', 'flatten',
  'decimal', 'floor', 'ceiling', 'abs', 'round up', 'round down', 'round half up', 'round half down',
  'modulo', 'sqrt', 'log', 'exp', 'odd', 'even',
  'day of year', 'day of week', 'month of year', 'week of year',
  'get value', 'get entries', 'context put', 'context merge',
]);
const CACHE_SIZE = 10_000;
const known = new Map<string, boolean>();

export type FeelGrammar = 'expression' | 'unaryTests';

export function canRunLong(expression: string, grammar: FeelGrammar = 'expression'): boolean {
  const cacheKey = grammar === 'expression' ? expression : `unary:${expression}`;
  let long = known.get(cacheKey);
  if (long === undefined) {
    long = false;
    const parse = grammar === 'expression' ? parseExpression : parseUnaryTests;
    parse(expression, {}, FEEL_DIALECT).iterate({
      enter(node) {
        if (node.type.isError || (RUN_LONG.has(node.name) && !isIndex(node.node))) long = true;
        if (node.name === 'FunctionInvocation') {
          const callee = node.node.firstChild;
          const name = callee?.name === 'VariableName' ? expression.slice(callee.from, callee.to).replace(/\s+/g, ' ') : undefined;
          if (name === undefined || !LINEAR_BUILTINS.has(name)) long = true;
        }
        return long ? false : undefined;
      },
    });
    // Expressions come from deployed definitions, forms and agents: few. A full cache starts again.
    if (known.size >= CACHE_SIZE) known.clear();
    known.set(cacheKey, long);
  }
  return long;
}

type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

/** `lines[1]`: a filter by a number literal picks one item, it does not test each. */
function isIndex(node: SyntaxNode): boolean {
  if (node.name !== 'FilterExpression') return false;
  const filter = node.firstChild?.nextSibling?.nextSibling;
  return filter?.name === 'NumericLiteral' && filter.nextSibling?.name === ']';
}
