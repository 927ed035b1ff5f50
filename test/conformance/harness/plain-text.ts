/** Error messages of assertions carry terminal colour codes; the conformance report prints plain text. */
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function withoutColours(text: string): string {
  return text.replace(COLOUR, '');
}
