/** The FEEL text of a DMN expression or unary tests, refusing other expression languages. */
import type { DmnText } from './moddle.js';

/** FEEL is the only expression language Weft evaluates; these name it (DMN 1.3's URI, FEEL 1.1's, or plain `feel`). */
const FEEL_LANGUAGES = new Set(['feel', 'https://www.omg.org/spec/dmn/20191111/feel/', 'http://www.omg.org/spec/feel/20140401', 'https://www.omg.org/spec/feel/20140401']);

/**
 * The text, trimmed ('' for an empty cell); undefined, after `report`ing it,
 * when it is written in another language (JUEL, JavaScript). `what` names the
 * cell in the report.
 */
export function feelText(node: DmnText | undefined, what: string, report: (message: string) => void): string | undefined {
  const language = node?.expressionLanguage?.trim();
  if (language && !FEEL_LANGUAGES.has(language.toLowerCase())) {
    report(`${what} is written in "${language}"; Weft evaluates FEEL only`);
    return undefined;
  }
  return node?.text?.trim() ?? '';
}
