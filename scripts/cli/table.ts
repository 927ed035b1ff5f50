/**
 * Aligned text tables for people (the `--json` flag gives scripts the API's
 * JSON instead). Pure: rows in, lines out.
 */
export interface Column<R> {
  header: string;
  value: (row: R) => unknown;
  /** Longest a cell may be before it is cut with `…` (messages, ids stay whole by default). */
  max?: number;
}

/** A cell as text: null and undefined as `-`, objects as JSON, one line. */
export function cell(value: unknown, max?: number): string {
  let text = value === null || value === undefined || value === '' ? '-' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  text = text.replace(/\s*[\r\n]+\s*/g, ' ');
  if (max !== undefined && text.length > max) text = `${text.slice(0, Math.max(0, max - 1))}…`;
  return text;
}

/** The header and one line per row, columns padded to their widest cell; the last column is not padded. */
export function formatTable<R>(columns: Column<R>[], rows: R[]): string[] {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row), c.max)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)];
}
