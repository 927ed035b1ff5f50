/**
 * The names a FEEL expression reads from its context, found in feelin's
 * syntax tree without evaluating anything.
 *
 * A name is not "read from the context" when the expression binds it itself:
 * `for x in …` and `some/every x in …` (and `partial` in a `for`), the
 * parameters of `function(x) …`, the keys of a context literal `{a: 1, b: a}`
 * for the entries after them, and `item` in a filter `list[…]`. FEEL's
 * built-in functions (`count`, `list contains`, `now`, …) are not context
 * names either. Type names (`x instance of number`) are skipped.
 *
 * A filter is special: feelin evaluates `list[cond]` with each item's own
 * fields spread over the whole context (`{...context, item, ...item}`), so
 * inside the brackets any name — `variables` included — may be a field of
 * the item. Names read there are marked `inFilter`.
 */
import { parseExpression } from 'feelin';
import { isBuiltinFunctionName } from '../runtime/feel.js';
import { FEEL_DIALECT } from '../runtime/feel-dialect.js';

/** A node of feelin's (lezer) syntax tree; typed through feelin, which is what the project depends on. */
type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

export interface FeelNameRead {
  /** The name as written, inner spaces compacted (`order total`). */
  name: string;
  /** Where it starts in the expression (0-based). */
  from: number;
  /** Read inside a filter's brackets, where the item's fields shadow every name. */
  inFilter: boolean;
}

/** The names `expression` reads that it does not bind itself and that are not FEEL built-ins. */
export function freeNames(expression: string): FeelNameRead[] {
  const reads: FeelNameRead[] = [];
  const tree = parseExpression(expression, {}, FEEL_DIALECT);
  const text = (node: SyntaxNode) => expression.slice(node.from, node.to).trim().replace(/\s+/g, ' ');
  walk(tree.topNode, new Set(), false);
  return reads;

  function walk(node: SyntaxNode, bound: Set<string>, inFilter: boolean): void {
    switch (node.name) {
      case 'VariableName': {
        const name = text(node);
        // A built-in's name is no read only where it is called: `count > 5` reads a name `count` (null when unset).
        const called = node.parent?.name === 'FunctionInvocation' && node.parent.firstChild?.from === node.from;
        if (!bound.has(name) && !(called && isFeelBuiltin(name))) reads.push({ name, from: node.from, inFilter });
        return;
      }
      case 'Type':
        return;
      case 'ForExpression':
      case 'QuantifiedExpression': {
        const inner = new Set(bound);
        if (node.name === 'ForExpression') inner.add('partial');
        for (let child = node.firstChild; child; child = child.nextSibling) {
          if (child.name === 'InExpressions') {
            // Each iteration context sees the names bound before it.
            for (let inExpression = child.firstChild; inExpression; inExpression = inExpression.nextSibling) {
              if (inExpression.name !== 'InExpression') continue;
              const context = inExpression.getChild('IterationContext');
              if (context) walk(context, inner, inFilter);
              const name = inExpression.getChild('Name');
              if (name) inner.add(text(name));
            }
          } else {
            walk(child, inner, inFilter);
          }
        }
        return;
      }
      case 'FunctionDefinition': {
        const inner = new Set(bound);
        for (const parameter of node.getChild('FormalParameters')?.getChildren('FormalParameter') ?? []) {
          const name = parameter.getChild('ParameterName');
          if (name) inner.add(text(name));
        }
        const body = node.getChild('FunctionBody');
        if (body) walk(body, inner, inFilter);
        return;
      }
      case 'Context': {
        const inner = new Set(bound);
        for (const entry of node.getChildren('ContextEntry')) {
          const key = entry.getChild('Key');
          for (let child = entry.firstChild; child; child = child.nextSibling) if (child !== key && child.name !== 'Key') walk(child, inner, inFilter);
          if (key) inner.add(text(key).replace(/^"(.*)"$/, '$1'));
        }
        return;
      }
      case 'FilterExpression': {
        const target = node.firstChild;
        if (target) walk(target, bound, inFilter);
        const inner = new Set(bound).add('item');
        for (let child = target?.nextSibling ?? null; child; child = child.nextSibling) walk(child, inner, true);
        return;
      }
      case 'NamedParameter': {
        // `f(name: value)`: the parameter name is not read.
        for (let child = node.firstChild; child; child = child.nextSibling) if (child.name !== 'ParameterName') walk(child, bound, inFilter);
        return;
      }
      default:
        for (let child = node.firstChild; child; child = child.nextSibling) walk(child, bound, inFilter);
    }
  }
}

/** Is `name` one of feelin's built-in functions? (Asked of feelin in runtime/feel.ts, the one module that evaluates FEEL.) */
export const isFeelBuiltin = isBuiltinFunctionName;
