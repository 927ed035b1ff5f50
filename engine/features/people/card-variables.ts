/**
 * Which variables a task's inbox card shows: the process chooses them in the
 * user task's header `weft:cardVariables`, a comma-separated list of variable
 * names (`orderNumber, customer, total`). Only those values leave the server
 * with a card, never the task's other variables: a card is shown to everyone
 * the task is offered to, before anyone has claimed it.
 *
 * The same parsing is done in SQL for search (db/migrations/…_inbox_cards.ts,
 * weft_task_search_text): split on commas, trim, skip empty names.
 */
export const CARD_VARIABLES_HEADER = 'weft:cardVariables';

/** At most this many values per card: a card is a summary, not the task. */
export const MAX_CARD_VARIABLES = 6;

export interface CardField {
  name: string;
  value: unknown;
}

export function cardVariableNames(headers: Record<string, string> | null | undefined): string[] {
  const list = headers?.[CARD_VARIABLES_HEADER];
  if (typeof list !== 'string') return [];
  const names = list.split(',').map((n) => n.trim()).filter((n) => n !== '');
  return [...new Set(names)].slice(0, MAX_CARD_VARIABLES);
}

/** The chosen variables that the task has, in the header's order. */
export function cardFields(headers: Record<string, string> | null | undefined, variables: Record<string, unknown> | null | undefined): CardField[] {
  const vars = variables ?? {};
  return cardVariableNames(headers)
    .filter((name) => Object.prototype.hasOwnProperty.call(vars, name))
    .map((name) => ({ name, value: vars[name] }));
}
