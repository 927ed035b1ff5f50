import { describe, expect, it } from 'vitest';
import { classify } from '../../../engine/model/index.js';
import { compileXml, definitions, processXml } from './bpmn.js';

describe('compile: reading the input', () => {
  it('rejects a DOCTYPE before parsing', async () => {
    // given an entity-expansion attempt
    const xml = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" name="&lol2;"/>`;
    // when
    const { processes, problems } = await compileXml(xml);
    // then
    expect(processes).toEqual([]);
    expect(problems).toEqual([{ file: 'test.bpmn', message: 'Malformed XML: DOCTYPE declarations are not allowed' }]);
    expect(classify(problems)).toBe('malformed');
  });

  it('rejects a bare ENTITY declaration', async () => {
    // given
    const xml = `<!ENTITY x SYSTEM "file:///etc/passwd">${definitions('')}`;
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(problems.map((p) => p.message)).toEqual(['Malformed XML: ENTITY declarations are not allowed']);
  });

  it('rejects empty input', async () => {
    // when
    const { problems } = await compileXml('  \n ');
    // then
    expect(problems.map((p) => p.message)).toEqual(['Malformed XML: the file is empty']);
    expect(classify(problems)).toBe('malformed');
  });

  it('reports malformed XML with the parser message and a 1-based position', async () => {
    // given a closing tag that does not match (line 4)
    const xml = processXml('\n<bpmn:task id="t"></bpmn:startEvent>');
    // when
    const { processes, problems } = await compileXml(xml);
    // then
    expect(processes).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^Malformed XML: closing tag mismatch near <\/bpmn:startEvent> \(line 4, column \d+\)$/);
    expect(classify(problems)).toBe('malformed');
  });

  describe('gives the real line and column for a file cut short', () => {
    // line 5 holds the end event; its documentation goes on over line 6
    const whole = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs">',
      '  <bpmn:process id="p" isExecutable="true">',
      '    <bpmn:startEvent id="start"/>',
      '    <bpmn:endEvent id="end"><bpmn:documentation>Done when',
      'all is paid</bpmn:documentation></bpmn:endEvent>',
      '  </bpmn:process>',
      '</bpmn:definitions>',
      '',
    ].join('\n');
    const cut = (xml: string, before: string, extra = 0) => xml.slice(0, xml.indexOf(before) + extra);
    const crlf = whole.replace(/\n/g, '\r\n');

    it.each([
      ['in the middle of a tag: where the tag starts', cut(whole, '<bpmn:endEvent', 10), 'unclosed tag (line 5, column 5)'],
      ['in the middle of an element\'s text: where the file ends', cut(whole, 'all is'), 'unexpected end of file (line 6, column 1)'],
      ['after a complete line: where the file ends, on the next line', cut(whole, '    <bpmn:endEvent'), 'unexpected end of file (line 5, column 1)'],
      ['at the end of a line', cut(whole, '\n    <bpmn:endEvent'), 'unexpected end of file (line 4, column 34)'],
      ['with CRLF line ends, in the middle of a tag', cut(crlf, '<bpmn:endEvent', 10), 'unclosed tag (line 5, column 5)'],
      ['with CRLF line ends, in the middle of an element\'s text', cut(crlf, 'all is'), 'unexpected end of file (line 6, column 1)'],
      ['with CRLF line ends, after a complete line', cut(crlf, '    <bpmn:endEvent'), 'unexpected end of file (line 5, column 1)'],
    ])('%s', async (_case, xml, expected) => {
      // when
      const { problems } = await compileXml(xml);
      // then
      expect(problems.map((p) => p.message)).toEqual([`Malformed XML: ${expected}`]);
    });

    it('and for text after the root element, where it begins', async () => {
      // when
      const { problems } = await compileXml(`${whole}trailing text`);
      // then: right after </bpmn:definitions>
      expect(problems.map((p) => p.message)).toEqual(['XML content was not understood: non-whitespace outside of root node (line 8, column 20)']);
    });
  });

  it('reports text that is not XML at all as malformed', async () => {
    // when
    const { problems } = await compileXml('hello, world');
    // then
    expect(classify(problems)).toBe('malformed');
    expect(problems[0].message).toMatch(/^Malformed XML: missing start tag/);
  });

  it('says so when well-formed XML is not BPMN', async () => {
    // given
    const xml = '<?xml version="1.0"?><project><name>not a process</name></project>';
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^Not a BPMN document: the root element is <project>/);
    expect(classify(problems)).toBe('not-bpmn');
  });

  it('says so for <definitions> in the wrong namespace', async () => {
    // when
    const { problems } = await compileXml('<definitions xmlns="urn:something-else" id="d"/>');
    // then
    expect(classify(problems)).toBe('not-bpmn');
  });

  it('classifies a readable but unrunnable model as invalid, and no problems as null', async () => {
    // given
    const broken = await compileXml(definitions(''));
    // then
    expect(broken.problems.map((p) => p.message)).toEqual(['The file contains no bpmn:process']);
    expect(classify(broken.problems)).toBe('invalid');
    expect(classify([])).toBeNull();
  });

  it('turns an unresolved reference into a problem', async () => {
    // given a gateway whose default flow does not exist
    const xml = processXml(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="g" default="missing"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="g"/>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(problems).toContainEqual({
      file: 'test.bpmn',
      elementId: 'g',
      elementKind: 'bpmn:ExclusiveGateway',
      field: 'bpmn:default',
      message: 'Unresolved reference <missing> in bpmn:default',
    });
  });

  it('reports duplicate ids', async () => {
    // given
    const xml = processXml('<bpmn:startEvent id="x"/><bpmn:endEvent id="x"/>');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(problems.some((p) => /duplicate ID <x>/.test(p.message))).toBe(true);
    expect(classify(problems)).toBe('invalid');
  });
});
