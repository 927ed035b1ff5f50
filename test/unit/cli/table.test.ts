/** The CLI's table formatter: aligned columns for people. */
import { describe, expect, it } from 'vitest';
import { cell, formatTable } from '../../../scripts/cli/table.js';

interface Row {
  id: string;
  state: string;
  note: string | null;
}

const columns = [
  { header: 'id', value: (r: Row) => r.id },
  { header: 'state', value: (r: Row) => r.state },
  { header: 'note', value: (r: Row) => r.note, max: 10 },
];

describe('formatTable', () => {
  it('pads each column to its widest cell, headers in capitals, the last column unpadded', () => {
    // given
    const rows: Row[] = [
      { id: 'a', state: 'ACTIVE', note: 'short' },
      { id: 'long-id', state: 'OK', note: 'x' },
    ];
    // when
    const lines = formatTable(columns, rows);
    // then
    expect(lines).toEqual([
      'ID       STATE   NOTE',
      'a        ACTIVE  short',
      'long-id  OK      x',
    ]);
  });

  it('shows a missing value as -, cuts a long one with …, and keeps a cell on one line', () => {
    // when
    const lines = formatTable(columns, [{ id: 'i', state: 'line one\nline two', note: 'a note far too long to show' }, { id: 'j', state: '', note: null }]);
    // then
    expect(lines).toEqual([
      'ID  STATE              NOTE',
      'i   line one line two  a note fa…',
      'j   -                  -',
    ]);
  });

  it('prints only the header for no rows', () => {
    expect(formatTable(columns, [])).toEqual(['ID  STATE  NOTE']);
  });

  it('writes objects as JSON and numbers as they are', () => {
    expect(cell({ a: 1 })).toBe('{"a":1}');
    expect(cell(0)).toBe('0');
    expect(cell(undefined)).toBe('-');
  });
});
