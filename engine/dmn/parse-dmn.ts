/**
 * Reads DMN XML into moddle objects (dmn-moddle, DMN 1.3, with the `zeebe:`
 * extension for version tags), turning every way that can fail into
 * problems, worded as the BPMN compiler words them (model/problems.ts): a
 * file that is not XML is `Malformed XML`, one that is XML but not DMN 1.3
 * says so and why.
 */
import { DmnModdle } from 'dmn-moddle';
import type { ParseError } from 'bpmn-moddle';
import zeebe from 'zeebe-dmn-moddle/resources/zeebe.json' with { type: 'json' };
import { MALFORMED_PREFIX, type Problems } from '../model/problems.js';
import { checkReadable, describeParserMessage } from '../model/parse-xml.js';
import type { DmnDefinitions } from './moddle.js';

const moddle = new DmnModdle({ zeebe });

/** The namespace of DMN 1.3, the one dmn-moddle (and Camunda 8) reads. */
export const DMN13_NS = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
export const NOT_DMN = 'Not a DMN 1.3 document:';

export async function parseDmn(xml: string, problems: Problems): Promise<DmnDefinitions | undefined> {
  if (!checkReadable(xml, problems)) return undefined;
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml, 'dmn:Definitions');
    for (const warning of warnings) {
      // Unknown elements and duplicate ids change what would run; unknown attributes do not.
      if (warning.message.startsWith('unparsable content')) problems.add({}, `XML content was not understood: ${describeParserMessage(warning.message, xml)}`);
    }
    return rootElement as unknown as DmnDefinitions;
  } catch (error) {
    const message = (error as ParseError).message;
    if (/failed to parse document as/.test(message)) problems.add({}, `${NOT_DMN} ${wrongRoot(xml)}`);
    else problems.add({}, `${MALFORMED_PREFIX} ${describeParserMessage(message, xml)}`);
    return undefined;
  }
}

/** Why the root is not DMN 1.3's `definitions`: an older DMN version is named as such, since a modeler can migrate it. */
function wrongRoot(xml: string): string {
  const root = /<([\w.-]+:)?([\w.-]+)[^>]*>/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''));
  const namespace = root ? new RegExp(`xmlns${root[1] ? `:${root[1].slice(0, -1)}` : ''}="([^"]*)"`).exec(root[0])?.[1] : undefined;
  if (root?.[2] === 'definitions' && namespace && /omg\.org\/spec\/DMN/i.test(namespace)) {
    return `the file is in namespace ${namespace} (an older DMN version); open and save it in a current modeler (dmn-js, Camunda Modeler), which writes DMN 1.3 (${DMN13_NS})`;
  }
  const found = root ? `the root element is <${root[1] ?? ''}${root[2]}>` : 'the root element is not recognised';
  return `${found}, expected <definitions> in namespace ${DMN13_NS}`;
}
