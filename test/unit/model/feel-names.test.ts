import { describe, expect, it } from 'vitest';
import { freeNames, isFeelBuiltin } from '../../../engine/model/feel-names.js';

const names = (expression: string) => freeNames(expression).map((r) => (r.inFilter ? `[${r.name}]` : r.name));

describe('the names a FEEL expression reads', () => {
  it('finds the roots of paths, not the keys after the dot', () => {
    expect(names('args.amount <= 50 and variables.vip')).toEqual(['args', 'variables']);
    expect(names('amount <= 50')).toEqual(['amount']);
  });

  it('reads a string over several lines as one string, not as names', () => {
    expect(names('"Dear customer,\nyour order " + order.id + " is late" != output.text')).toEqual(['order', 'output']);
  });

  it('leaves out names the expression binds itself', () => {
    expect(names('for x in args.items return x.price + partial[1]')).toEqual(['args']);
    expect(names('some x in args.items satisfies x > limit')).toEqual(['args', 'limit']);
    expect(names('every a in args.xs, b in a.ys satisfies b > 0')).toEqual(['args']);
    expect(names('{a: 1, b: a + 1, "c d": 2, e: c d}.b')).toEqual([]);
    expect(names('(function(y) y + z)(1)')).toEqual(['z']);
    expect(names('f(a: variables.x)')).toEqual(['f', 'variables']);
  });

  it('leaves out FEEL built-ins, and knows an unknown function is a name', () => {
    expect(names('list contains(["EUR"], output.currency) and not(count(args.items) > 3) and now() > today()')).toEqual(['output', 'args']);
    expect(names('string length(args.name) > 3')).toEqual(['args']);
    expect(names('frobnicate(1)')).toEqual(['frobnicate']);
    expect(isFeelBuiltin('list contains')).toBe(true);
    expect(isFeelBuiltin('amount')).toBe(false);
  });

  it('counts a built-in\'s name as a read where it is not called (a model argument named count is still a bare name)', () => {
    expect(names('count > 5')).toEqual(['count']);
    expect(names('max = 3 or date = "x"')).toEqual(['max', 'date']);
    expect(names('count(args.items) > 5')).toEqual(['args']);
  });

  it('marks names read inside a filter, where the item\'s fields shadow every name', () => {
    expect(names('args.items[item.price > variables.max]')).toEqual(['args', '[variables]']);
    expect(names('count(args.items[price > 10]) > 0')).toEqual(['args', '[price]']);
    expect(names('args.items[1].price > 3')).toEqual(['args']);
  });
});
