/**
 * Regression tests: input the compiler used to crash on, or pass on to
 * Postgres in a form it cannot store. Each is now a problem naming where.
 */
import { describe, expect, it } from 'vitest';
import { classify } from '../../../engine/model/index.js';
import { MAX_CONTAINER_DEPTH } from '../../../engine/model/nesting.js';
import { compileOne, compileXml, processXml } from './bpmn.js';

/** `depth` sub-processes inside each other (sp1 outermost), each with start → [inner] → end. */
function nestedSubProcesses(depth: number): string {
  let inner = '';
  for (let level = depth; level >= 1; level--) {
    const child = level < depth ? `sp${level + 1}` : `end${level}`;
    inner = `<bpmn:subProcess id="sp${level}">
      <bpmn:startEvent id="start${level}"/>${inner}<bpmn:endEvent id="end${level}"/>
      <bpmn:sequenceFlow id="in${level}" sourceRef="start${level}" targetRef="${child}"/>${level < depth ? `<bpmn:sequenceFlow id="out${level}" sourceRef="sp${level + 1}" targetRef="end${level}"/>` : ''}
    </bpmn:subProcess>`;
  }
  return processXml(`<bpmn:startEvent id="start"/>${inner}<bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sp1"/><bpmn:sequenceFlow id="f2" sourceRef="sp1" targetRef="end"/>`);
}

describe('compile: nesting limits', () => {
  it(`compiles ${MAX_CONTAINER_DEPTH} nested sub-processes`, async () => {
    // when
    const process = await compileOne(nestedSubProcesses(MAX_CONTAINER_DEPTH));
    // then
    expect(process.elements[`sp${MAX_CONTAINER_DEPTH}`]).toMatchObject({ kind: 'subProcess', parent: `sp${MAX_CONTAINER_DEPTH - 1}` });
  });

  it('refuses one level more, naming the element and the limit', async () => {
    // when
    const { processes, problems } = await compileXml(nestedSubProcesses(MAX_CONTAINER_DEPTH + 1));
    // then
    expect(processes).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'test.bpmn',
        elementId: 'sp101',
        elementKind: 'bpmn:SubProcess',
        message: 'bpmn:SubProcess "sp101" is nested 101 containers deep in process "p"; Weft allows at most 100 levels of sub-processes',
      },
    ]);
    expect(classify(problems)).toBe('invalid');
  });

  it('refuses 5,000 nested sub-processes without overflowing the stack (was a RangeError, a 500)', async () => {
    // given
    let xml = '<bpmn:startEvent id="s"/>';
    for (let i = 5000; i >= 1; i--) xml = `<bpmn:subProcess id="sp${i}">${xml}</bpmn:subProcess>`;
    // when
    const { problems } = await compileXml(processXml(xml));
    // then
    expect(problems).toEqual([expect.objectContaining({ elementId: 'sp101', message: expect.stringMatching(/at most 100 levels/) })]);
  });

  it('counts empty sub-processes, transactions and ad-hoc sub-processes as levels too', async () => {
    // given 100 levels with an empty ad-hoc sub-process at the bottom
    let xml = '<bpmn:adHocSubProcess id="bottom"/>';
    for (let i = MAX_CONTAINER_DEPTH; i >= 1; i--) xml = i % 2 ? `<bpmn:transaction id="t${i}">${xml}</bpmn:transaction>` : `<bpmn:subProcess id="sp${i}">${xml}</bpmn:subProcess>`;
    // when
    const { problems } = await compileXml(processXml(xml));
    // then
    expect(problems).toEqual([expect.objectContaining({ elementId: 'bottom', elementKind: 'bpmn:AdHocSubProcess' })]);
  });

  it('reads deeply nested plain XML (the parser does not recurse) without a crash', async () => {
    // given 10,000 levels of extension markup
    const deep = `<bpmn:extensionElements>${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}</bpmn:extensionElements>`;
    // when
    const { problems } = await compileXml(processXml(`<bpmn:startEvent id="s">${deep}</bpmn:startEvent>`));
    // then
    expect(problems).toEqual([]);
  });
});

describe('compile: characters XML does not allow', () => {
  const named = (name: string) => processXml(`<bpmn:startEvent id="s" name="${name}"/>`);

  it.each([
    ['a surrogate as a reference', 'a&#xD800;b', /the character reference &#xD800; is not a character XML allows \(line 3\)/],
    ['a low surrogate as a decimal reference', 'a&#57343;b', /&#57343; is not a character XML allows/],
    ['a control character as a reference', 'a&#1;b', /&#1; is not a character XML allows/],
    ['a reference past U+10FFFF', 'a&#99999999999;b', /&#99999999999; is not a character XML allows/],
    // saxen keeps only 16 bits: &#65536; became NUL, &#x1D800; a lone surrogate, &#x1F600; U+F600
    ['a reference past U+FFFF that became NUL', 'a&#65536;b', /&#65536; is past U\+FFFF, which Weft's XML parser cannot decode; write the character itself/],
    ['an emoji as a reference', 'a&#x1F600;b', /&#x1F600; is past U\+FFFF/],
    ['NUL as a reference', 'a&#x0000;b', /the NUL character \(U\+0000\) is not allowed in XML, not even as &#x0000;/],
    ['a lone surrogate in a string deployed in process', 'a\ud800b', /a lone UTF-16 surrogate is not a character \(line 3\)/],
  ])('refuses %s as malformed XML', async (_what, name, message) => {
    // when
    const { processes, problems } = await compileXml(named(name));
    // then
    expect(processes).toEqual([]);
    expect(problems).toEqual([{ file: 'test.bpmn', message: expect.stringMatching(message) }]);
    expect(classify(problems)).toBe('malformed');
  });

  it('keeps characters past U+FFFF written as themselves, and ordinary references', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="s" name="😀 &#233;&#x41;&amp;"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>`);
    // when
    const process = await compileOne(xml);
    // then
    expect(process.elements.s.name).toBe('😀 éA&');
  });
});
