/**
 * Reads BPMN XML into moddle objects, turning every way that can fail into
 * problems. Runs before any transformer, so the rest of the compiler only sees
 * a parsed `bpmn:Definitions`.
 */
import { BpmnModdle, type ParseError, type ParseWarning } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import type { Definitions } from './moddle.js';
import { MALFORMED_PREFIX, NOT_BPMN_PREFIX, type Problems } from './problems.js';
import { forbiddenCharacter } from './xml-characters.js';

const moddle = new BpmnModdle({ zeebe });

/**
 * DOCTYPE and ENTITY declarations are refused before parsing: BPMN never
 * needs them, and they are the door for entity-expansion ("billion laughs")
 * and external-entity tricks, whatever the parser does with them today.
 */
const DECLARATION = /<!\s*(DOCTYPE|ENTITY)\b/i;

export async function parseXml(xml: string, problems: Problems): Promise<Definitions | undefined> {
  if (!checkReadable(xml, problems)) return undefined;
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
    for (const warning of warnings) reportWarning(warning, xml, problems);
    return rootElement as unknown as Definitions;
  } catch (error) {
    reportFailure(error as ParseError, xml, problems);
    return undefined;
  }
}

/**
 * What every XML file (BPMN or DMN) must pass before a parser sees it: not
 * empty, no DOCTYPE or ENTITY, no character XML or Postgres cannot hold.
 * False (with the problem added) when it does not.
 */
export function checkReadable(xml: string, problems: Problems): boolean {
  if (xml.trim() === '') {
    problems.add({}, `${MALFORMED_PREFIX} the file is empty`);
    return false;
  }
  const declaration = DECLARATION.exec(xml);
  if (declaration) {
    problems.add({}, `${MALFORMED_PREFIX} ${declaration[1].toUpperCase()} declarations are not allowed`);
    return false;
  }
  const forbidden = forbiddenCharacter(xml);
  if (forbidden) {
    problems.add({}, forbidden);
    return false;
  }
  return true;
}

/** moddle throws this when the root element is not `bpmn:definitions`. */
function isWrongRoot(error: ParseError): boolean {
  return /failed to parse document as/.test(error.message);
}

function reportFailure(error: ParseError, xml: string, problems: Problems): void {
  if (isWrongRoot(error)) {
    const root = /unexpected element <([^>]+)>/.exec(error.warnings?.[0]?.message ?? '')?.[1];
    const found = root ? `the root element is <${root}>` : 'the root element is not recognised';
    problems.add({}, `${NOT_BPMN_PREFIX} ${found}, expected <bpmn:definitions> in namespace http://www.omg.org/spec/BPMN/20100524/MODEL`);
    return;
  }
  problems.add({}, `${MALFORMED_PREFIX} ${describeParserMessage(error.message, xml)}`);
}

/**
 * moddle's lax parser reports most oddities as warnings. Those that change
 * what would run become problems; the rest (diagram-only references, unknown
 * attributes, encoding fallback) are dropped.
 */
function reportWarning(warning: ParseWarning, xml: string, problems: Problems): void {
  const { message, element, property, value } = warning;
  if (message.startsWith('unresolved reference')) {
    if (!element || isDiagramOnly(element.$type)) return;
    // A sequence flow's dangling source/target is reported as "flow to nowhere".
    if (element.$type === 'bpmn:SequenceFlow' && /^bpmn:(source|target)Ref$/.test(property ?? '')) return;
    // Event definitions and the like rarely have ids; name the element they belong to.
    const owner = element.id ? element : (element.$parent ?? element);
    problems.add(
      { elementId: owner.id, elementKind: owner.$type, field: property },
      `Unresolved reference <${value}> in ${property}`,
    );
    return;
  }
  if (message.startsWith('unparsable content')) {
    problems.add({}, `XML content was not understood: ${describeParserMessage(message, xml)}`);
  }
}

function isDiagramOnly(type: string): boolean {
  return /^(bpmndi|di|dc):/.test(type);
}

/**
 * moddle's messages span lines (`unparsable content <x> detected\n\tline: 3\n
 * \tcolumn: 2\n\tnested error: ...`) with 0-based positions; make them one
 * line with 1-based positions in `xml`.
 */
export function describeParserMessage(message: string, xml: string): string {
  const what = /^unparsable content\s*(<[^>]*>)?/.exec(message)?.[1];
  const nested = /nested error: (.*)$/m.exec(message)?.[1];
  const line = /line: (\d+)/.exec(message)?.[1];
  const column = /column: (\d+)/.exec(message)?.[1];
  if (!nested) return message.split('\n')[0];
  const near = what ? ` near ${what}` : '';
  const where = line !== undefined && column !== undefined ? position(xml, Number(line), Number(column), nested) : undefined;
  const at = where ? ` (line ${where.line}, column ${where.column})` : '';
  return `${nested}${near}${at}`;
}

/**
 * The 1-based line and column of saxen's 0-based position. After the last tag
 * (a file cut short, text after the root) saxen has no line: it says line 0
 * and puts the offset where it stopped in the column; on the first line the
 * column is that offset too, so line 0 is always read as an offset. A file
 * that ends too soon is reported where it ends. Line ends count as saxen
 * counts them: CRLF, CR or LF is one.
 */
function position(xml: string, line: number, column: number, error: string): { line: number; column: number } {
  if (line > 0) return { line: line + 1, column: column + 1 };
  const lines = xml.slice(0, error === 'unexpected end of file' ? xml.length : column).split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
