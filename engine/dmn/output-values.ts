/**
 * An output's `outputValues` (`"high","medium","low"`, `1, 2, 3`): the
 * priority list of PRIORITY and OUTPUT ORDER tables, highest first. Read as
 * literals, not evaluated: nothing a user wrote runs at deploy time.
 */

export type OutputValues = { values: unknown[] } | { error: string };

const ITEM = /\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false)\s*(,|$)/y;

export function parseOutputValues(text: string): OutputValues {
  const values: unknown[] = [];
  ITEM.lastIndex = 0;
  while (ITEM.lastIndex < text.length) {
    const at = ITEM.lastIndex;
    const match = ITEM.exec(text);
    if (!match) return { error: `must be a comma-separated list of strings or numbers, but "${text.slice(at).trim()}" is neither` };
    const literal = match[1];
    if (literal.startsWith('"')) {
      try {
        values.push(JSON.parse(literal));
      } catch {
        return { error: `has a string it cannot read: ${literal}` };
      }
    } else values.push(literal === 'true' ? true : literal === 'false' ? false : Number(literal));
    if (match[2] === '') break;
  }
  return { values };
}
