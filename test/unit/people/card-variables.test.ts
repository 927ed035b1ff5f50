/** Which variables a task card shows: the header weft:cardVariables, parsed as the search's SQL parses it. */
import { describe, expect, it } from 'vitest';
import { CARD_VARIABLES_HEADER, cardFields, cardVariableNames, MAX_CARD_VARIABLES } from '../../../engine/features/people/card-variables.js';

describe('card variables', () => {
  it('reads a comma-separated list, trimmed, without empty or repeated names', () => {
    expect(cardVariableNames({ [CARD_VARIABLES_HEADER]: ' orderNumber, customer,,total , customer ' })).toEqual(['orderNumber', 'customer', 'total']);
  });

  it('chooses nothing without the header', () => {
    expect(cardVariableNames({ other: 'orderNumber' })).toEqual([]);
    expect(cardVariableNames(null)).toEqual([]);
  });

  it('shows at most a few values', () => {
    const names = Array.from({ length: MAX_CARD_VARIABLES + 3 }, (_, i) => `v${i}`);
    expect(cardVariableNames({ [CARD_VARIABLES_HEADER]: names.join(',') })).toEqual(names.slice(0, MAX_CARD_VARIABLES));
  });

  it('gives the chosen variables the task has, in the header\'s order, and no other', () => {
    // given
    const headers = { [CARD_VARIABLES_HEADER]: 'total, orderNumber, missing' };
    const variables = { orderNumber: 'SO-1', total: 0, creditCard: '4111', missingNot: 1 };
    // when / then
    expect(cardFields(headers, variables)).toEqual([
      { name: 'total', value: 0 },
      { name: 'orderNumber', value: 'SO-1' },
    ]);
  });

  it('keeps a variable whose value is null, and is not fooled by inherited names', () => {
    expect(cardFields({ [CARD_VARIABLES_HEADER]: 'note, toString' }, { note: null })).toEqual([{ name: 'note', value: null }]);
  });
});
