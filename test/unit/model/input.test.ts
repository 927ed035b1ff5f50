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
