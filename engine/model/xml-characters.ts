/**
 * Characters XML 1.0 does not allow, refused before the parser sees them.
 * Each reached Postgres and failed there (a 500), or changed silently:
 *
 * - U+0000, raw or as `&#0;`: text and jsonb cannot store it.
 * - surrogates (U+D800–U+DFFF) as references (`&#xD800;`), or raw in a string
 *   deployed in process: jsonb refuses a lone one.
 * - references past U+FFFF: saxen (bpmn-moddle's parser) decodes them with
 *   String.fromCharCode, which keeps only 16 bits, so `&#65536;` became NUL
 *   and `&#x1F600;` became U+F600. Write such characters as themselves (UTF-8).
 */
import { MALFORMED_PREFIX } from './problems.js';

const CHARACTER_REFERENCE = /&#(?:x([0-9a-f]+)|([0-9]+));/gi;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The Char production of XML 1.0 (5th edition, section 2.2). */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** The problem message (MALFORMED_PREFIX …) for the first character XML does not allow, or null. */
export function forbiddenCharacter(xml: string): string | null {
  if (xml.includes('\u0000')) return `${MALFORMED_PREFIX} the NUL character (U+0000) is not allowed in XML`;
  const lone = LONE_SURROGATE.exec(xml);
  if (lone) return `${MALFORMED_PREFIX} a lone UTF-16 surrogate is not a character (line ${lineOf(xml, lone.index)})`;
  for (const match of xml.matchAll(CHARACTER_REFERENCE)) {
    const code = match[1] !== undefined ? parseInt(match[1], 16) : Number(match[2]);
    if (code !== 0 && isXmlChar(code) && code <= 0xffff) continue;
    // Only for a reference that is refused: counting lines for every `&#10;` of a large diagram grows with the square of its size.
    const at = `(line ${lineOf(xml, match.index)})`;
    if (code === 0) return `${MALFORMED_PREFIX} the NUL character (U+0000) is not allowed in XML, not even as ${match[0]} ${at}`;
    if (!isXmlChar(code)) return `${MALFORMED_PREFIX} the character reference ${match[0]} is not a character XML allows ${at}`;
    if (code > 0xffff) return `${MALFORMED_PREFIX} the character reference ${match[0]} is past U+FFFF, which Weft's XML parser cannot decode; write the character itself ${at}`;
  }
  return null;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
