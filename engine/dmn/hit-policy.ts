/**
 * What a decision table's matched rules make, by its hit policy (DMN 1.3,
 * as Camunda 8 evaluates it). A table with one output gives values, one with
 * several gives contexts (`{ name: value }`):
 *
 * - UNIQUE: at most one rule may match; its result.
 * - FIRST: the first matching rule (in table order).
 * - PRIORITY: the match whose outputs come first in the outputs' values lists.
 * - ANY: several rules may match if their outputs are equal; that result.
 * - COLLECT: every match, in table order, as a list; with an aggregation,
 *   their SUM, MIN, MAX (numbers) or COUNT.
 * - RULE ORDER: every match as a list, in table order.
 * - OUTPUT ORDER: every match as a list, by priority as for PRIORITY.
 */
import type { DecisionOutput, DecisionTableLogic } from './types.js';
import type { MatchedRule, TableFailure } from './evaluation-types.js';
import { describeRule } from './names.js';

export type HitResult = { ok: true; value: unknown } | { ok: false; failure: TableFailure };

/** The key of an output in a rule's outputs and in a context result. */
export function outputKey(output: DecisionOutput): string {
  return output.name ?? output.id;
}

/** The first match's result: its one value, or its context; null without a match. */
export function singleResult(matches: Record<string, unknown>[], outputCount: number): unknown {
  if (matches.length === 0) return null;
  return outputCount === 1 ? Object.values(matches[0])[0] : matches[0];
}

function listResult(matches: Record<string, unknown>[], outputCount: number): unknown[] {
  return outputCount === 1 ? matches.map((m) => Object.values(m)[0]) : matches;
}

export function applyHitPolicy(table: DecisionTableLogic, matched: MatchedRule[]): HitResult {
  const count = table.outputs.length;
  const values = matched.map((m) => m.outputs);
  switch (table.hitPolicy) {
    case 'FIRST':
      return { ok: true, value: singleResult(values, count) };
    case 'UNIQUE':
      if (matched.length > 1) return refuse(matched, `hit policy UNIQUE allows one matching rule, but ${rules(matched)} match`);
      return { ok: true, value: singleResult(values, count) };
    case 'ANY': {
      const distinct = new Set(values.map((v) => JSON.stringify(v)));
      if (distinct.size > 1) return refuse(matched, `hit policy ANY allows several matching rules only with equal outputs, but ${rules(matched)} match with ${[...distinct].join(', ')}`);
      return { ok: true, value: singleResult(values, count) };
    }
    case 'PRIORITY':
      return { ok: true, value: singleResult(byPriority(matched, table.outputs).map((m) => m.outputs), count) };
    case 'OUTPUT ORDER':
      return { ok: true, value: listResult(byPriority(matched, table.outputs).map((m) => m.outputs), count) };
    case 'RULE ORDER':
      return { ok: true, value: listResult(values, count) };
    case 'COLLECT':
      return collect(table, matched);
  }
}

function collect(table: DecisionTableLogic, matched: MatchedRule[]): HitResult {
  const values = listResult(matched.map((m) => m.outputs), table.outputs.length);
  if (table.aggregation === undefined) return { ok: true, value: values };
  if (table.aggregation === 'COUNT') return { ok: true, value: values.length };
  const numbers: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number') {
      return refuse([matched[i]], `COLLECT ${table.aggregation} adds up numbers, but ${describeRule({ id: matched[i].ruleId, index: matched[i].ruleIndex })} gives ${JSON.stringify(value)}`);
    }
    numbers.push(value);
  }
  const value = table.aggregation === 'SUM' ? numbers.reduce((a, b) => a + b, 0) : table.aggregation === 'MIN' ? Math.min(...numbers) : Math.max(...numbers);
  return { ok: true, value };
}

/**
 * Sorts matches by their outputs' places in the outputs' values lists (first
 * output first, then the next), highest priority first; a value not in its
 * list comes after all that are; equal ones keep table order.
 */
function byPriority(matched: MatchedRule[], outputs: DecisionOutput[]): MatchedRule[] {
  const rank = (m: MatchedRule) =>
    outputs.map((o) => {
      if (!o.priorities) return 0;
      const at = o.priorities.findIndex((p) => p === m.outputs[outputKey(o)]);
      return at === -1 ? o.priorities.length : at;
    });
  const ranked = matched.map((m) => ({ m, rank: rank(m) }));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
    return 0;
  });
  return ranked.map((r) => r.m);
}

function rules(matched: MatchedRule[]): string {
  return matched.map((m) => describeRule({ id: m.ruleId, index: m.ruleIndex })).join(', ');
}

function refuse(matched: MatchedRule[], message: string): HitResult {
  const [first] = matched;
  return { ok: false, failure: { rule: { id: first.ruleId, index: first.ruleIndex }, message } };
}
