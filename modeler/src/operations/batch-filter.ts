/**
 * The instance list's search as a batch's filter, and a filter said in
 * words. Pure (no DOM), so the rules are unit-tested.
 *
 * A batch takes the search's criteria, not its order or page: it is made
 * over the whole search result, not the rows on screen. The API refuses a
 * filter without a criterion (a batch over every instance is one typo
 * away from disaster), so the page does not offer one.
 */
import type { BatchFilter, InstanceQuery } from './api.js';

/** What is not a criterion is left out, not the criteria listed: a criterion the search gains can never be dropped from a batch. */
export function batchFilterOf(query: InstanceQuery): BatchFilter {
  const { sortBy: _sortBy, sortOrder: _sortOrder, limit: _limit, offset: _offset, ...criteria } = query;
  return Object.fromEntries(Object.entries(criteria).filter(([, value]) => value !== undefined && value !== '')) as BatchFilter;
}

export function hasCriterion(filter: BatchFilter): boolean {
  return Object.keys(filter).length > 0;
}

/** The one process version a filter is narrowed to, which a migration needs (its mapping is of one source version). */
export function singleVersion(filter: BatchFilter): { processId: string; version: number } | undefined {
  const version = Number(filter.version);
  return filter.processId && Number.isInteger(version) && version > 0 ? { processId: filter.processId, version } : undefined;
}

/**
 * A filter in words, one phrase a criterion: the search form's (strings)
 * or a stored batch's (as the engine parsed it: a number, a boolean,
 * `variable: {name, value}`).
 */
export function describeFilter(filter: Record<string, unknown> | null): string[] {
  if (!filter) return ['listed instances'];
  const phrases: string[] = [];
  const at = (value: unknown) => new Date(String(value)).toLocaleString();
  if (filter.processId !== undefined) phrases.push(`process ${filter.processId}`);
  if (filter.version !== undefined) phrases.push(`version ${filter.version}`);
  if (filter.state !== undefined) phrases.push(`state ${filter.state}`);
  if (filter.hasIncident !== undefined) phrases.push(String(filter.hasIncident) === 'true' ? 'with an open incident' : 'without an open incident');
  if (filter.businessKey !== undefined) phrases.push(`business key ${filter.businessKey}`);
  const variable = filter.variable as { name: string; value: unknown } | undefined;
  if (variable) phrases.push(`variable ${variable.name} = ${JSON.stringify(variable.value)}`);
  else if (filter.variableName !== undefined) phrases.push(`variable ${filter.variableName} = ${filter.variableValue}`);
  if (filter.startedAfter !== undefined) phrases.push(`started after ${at(filter.startedAfter)}`);
  if (filter.startedBefore !== undefined) phrases.push(`started before ${at(filter.startedBefore)}`);
  if (filter.endedAfter !== undefined) phrases.push(`ended after ${at(filter.endedAfter)}`);
  if (filter.endedBefore !== undefined) phrases.push(`ended before ${at(filter.endedBefore)}`);
  return phrases;
}

/** "1 instance", "5 instances". */
export const instances = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;

/** A failed item's message is `CODE: message` (batch-runner.ts); the code apart, to be shown as one. */
export function splitFailure(message: string | null): { code?: string; message: string } {
  const match = /^([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(message ?? '');
  return match ? { code: match[1], message: match[2] } : { message: message ?? '' };
}
