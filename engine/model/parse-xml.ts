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
    const { rootElement, warnings, elementsById } = await moddle.fromXML(xml, 'bpmn:Definitions');
    const targetPrefixes = prefixesOf(xml, (rootElement as { targetNamespace?: string }).targetNamespace);
    for (const warning of warnings) {
      if (resolveQualified(warning, targetPrefixes, elementsById as Record<string, unknown>)) continue;
      reportWarning(warning, xml, problems);
    }
    return rootElement as unknown as Definitions;
  } catch (error) {
    reportFailure(error as ParseError, xml, problems);
    return undefined;
  }
}

/**
 * A reference may be a QName whose prefix is bound to the file's own
 * targetNamespace (`messageRef="tns:newInvoice"`): valid BPMN, which
 * bpmn-moddle leaves unresolved. Resolves it to the element of that local id.
 */
function resolveQualified(warning: ParseWarning, prefixes: Set<string>, byId: Record<string, unknown>): boolean {
  const { message, element, property, value } = warning;
  if (!message.startsWith('unresolved reference') || !element || !property || !value) return false;
  const match = /^([A-Za-z_][\w.-]*):(.+)$/.exec(value);
  if (!match || !prefixes.has(match[1]) || !byId[match[2]]) return false;
  const name = property.replace(/^[a-z]+:/, '');
  const target = element as Record<string, unknown>;
  if (Array.isArray(target[name])) (target[name] as unknown[]).push(byId[match[2]]);
  else target[name] = byId[match[2]];
  return true;
}

/** The prefixes the document binds to `namespace` (xmlns:tns="…"). */
function prefixesOf(xml: string, namespace: string | undefined): Set<string> {
  const prefixes = new Set<string>();
  if (!namespace) return prefixes;
  for (const m of xml.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g)) if (m[2] === namespace) prefixes.add(m[1]);
  return prefixes;
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
    // Interfaces and their operations describe services; nothing runs them.
    if (element.$type === 'bpmn:Operation' || element.$type === 'bpmn:Interface') return;
    // Camunda 7 reads an errorRef that names no bpmn:Error as the error code itself; so does Weft.
    if (element.$type === 'bpmn:ErrorEventDefinition' && property === 'bpmn:errorRef' && value) {
      (element as { errorRef?: unknown }).errorRef = { $type: 'bpmn:Error', id: value, errorCode: value };
      return;
    }
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
