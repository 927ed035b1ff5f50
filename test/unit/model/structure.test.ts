import { describe, expect, it } from 'vitest';
import { compileOne, compileXml, definitions, fixture, processXml, summary } from './bpmn.js';

describe('compile: start events and sequence flows', () => {
  it('requires a none start event in the process', async () => {
    // given
    const xml = processXml('<bpmn:task id="t"/>');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual(['p||Process "p" has no none start event']);
  });

  it('allows only one none start event per container', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="a"/><bpmn:startEvent id="b"/>
      <bpmn:subProcess id="sub"><bpmn:task id="t"/></bpmn:subProcess>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'sub||Sub-process "sub" has no none start event',
      'p||Process "p" has 2 none start events (a, b); it needs exactly one',
    ]);
  });

  it('reports a flow whose target points to nowhere', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="start"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ghost"/>
      <bpmn:sequenceFlow id="f2" targetRef="start"/>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'f1|targetRef|Sequence flow "f1" leads nowhere: its targetRef does not name an element',
      'f2|sourceRef|Sequence flow "f2" leads nowhere: its sourceRef does not name an element',
    ]);
  });

  it('reports a flow that points at something that is not a flow node', async () => {
    // given a flow into a data object
    const xml = processXml(`<bpmn:startEvent id="start"/><bpmn:dataObject id="data"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="data"/>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual(['f1||Sequence flow "f1" leads nowhere: bpmn:DataObject "data" is not a flow node']);
  });

  it('reports a flow leaving a sub-process boundary', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
      <bpmn:subProcess id="sub"><bpmn:startEvent id="inner-start"/><bpmn:task id="inner"/>
        <bpmn:sequenceFlow id="in" sourceRef="inner-start" targetRef="inner"/>
        <bpmn:sequenceFlow id="out" sourceRef="inner" targetRef="end"/>
      </bpmn:subProcess>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub"/>
      <bpmn:sequenceFlow id="into" sourceRef="start" targetRef="inner"/>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'out||Sequence flow "out" crosses a sub-process boundary: "end" is in "p", the flow in "sub"',
      'into||Sequence flow "into" crosses a sub-process boundary: "inner" is in "sub", the flow in "p"',
    ]);
  });

  it('refuses incoming flows on a start event and outgoing flows on an end event', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
      <bpmn:sequenceFlow id="back" sourceRef="end" targetRef="start"/>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'start||Start event "start" cannot have incoming sequence flows',
      'end||End event "end" cannot have outgoing sequence flows',
    ]);
  });
});

describe('compile: gateway rules', () => {
  const fork = (kind: string, attrs: string, flows: string) =>
    processXml(`<bpmn:startEvent id="start"/><bpmn:${kind} id="g" ${attrs}/><bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g"/>${flows}`);
  const cond = (id: string, target: string, condition?: string) =>
    `<bpmn:sequenceFlow id="${id}" sourceRef="g" targetRef="${target}">${
      condition ? `<bpmn:conditionExpression>${condition}</bpmn:conditionExpression>` : ''
    }</bpmn:sequenceFlow>`;

  for (const kind of ['exclusiveGateway', 'inclusiveGateway']) {
    it(`requires a condition on every non-default flow of a forking ${kind}`, async () => {
      // given
      const xml = fork(kind, '', cond('a', 'e1', '=x') + cond('b', 'e2'));
      // when
      const { problems } = await compileXml(xml);
      // then
      const bpmnKind = `bpmn:${kind[0].toUpperCase()}${kind.slice(1)}`;
      expect(summary(problems)).toEqual([
        `b|conditionExpression|Sequence flow "b" leaves the forking ${bpmnKind} "g" without a condition and is not its default flow`,
      ]);
    });

    it(`accepts a ${kind} whose unconditional flow is the default`, async () => {
      // when
      const process = await compileOne(fork(kind, 'default="b"', cond('a', 'e1', '=x') + cond('b', 'e2')));
      // then
      expect(process.elements.g).toMatchObject({ defaultFlow: 'b', outgoing: ['a', 'b'] });
    });
  }

  it('accepts a single unconditional flow out of an exclusive gateway (a merge)', async () => {
    // when
    const process = await compileOne(fork('exclusiveGateway', '', cond('a', 'e1')));
    // then
    expect(process.elements.g.outgoing).toEqual(['a']);
  });

  it('reports a default flow that does not leave the gateway', async () => {
    // given
    const xml = fork('exclusiveGateway', 'default="f0"', cond('a', 'e1', '=x') + cond('b', 'e2', '=y'));
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual(['g|default|The default flow "f0" of gateway "g" is not one of its outgoing flows']);
  });

  it('reports conditions on flows that leave neither a gateway nor an activity', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'f1|conditionExpression|Sequence flow "f1" has a condition but leaves bpmn:StartEvent "start"; Weft evaluates conditions only on flows leaving gateways and activities',
    ]);
  });
});

describe('compile: which processes', () => {
  const simple = (id: string, executable: string) =>
    `<bpmn:process id="${id}" ${executable}><bpmn:startEvent id="${id}-s"/><bpmn:endEvent id="${id}-e"/>
      <bpmn:sequenceFlow id="${id}-f" sourceRef="${id}-s" targetRef="${id}-e"/></bpmn:process>`;

  it('compiles each executable process of a collaboration and skips the others', async () => {
    // given
    const xml = definitions(`<bpmn:collaboration id="c">
        <bpmn:participant id="pa" processRef="a"/><bpmn:participant id="pb" processRef="b"/><bpmn:participant id="pc" processRef="c2"/>
      </bpmn:collaboration>
      ${simple('a', 'isExecutable="true"')}${simple('b', 'isExecutable="false"')}${simple('c2', 'isExecutable="true"')}`);
    // when
    const { processes, problems } = await compileXml(xml);
    // then
    expect(problems).toEqual([]);
    expect(processes.map((p) => p.id)).toEqual(['a', 'c2']);
  });

  it('compiles the only process even if it is not executable', async () => {
    // when
    const { processes, problems } = await compileXml(definitions(simple('only', 'isExecutable="false"')));
    // then
    expect(problems).toEqual([]);
    expect(processes.map((p) => p.id)).toEqual(['only']);
  });

  it('reports several processes none of which is executable, and says to mark each one to deploy', async () => {
    // when
    const { processes, problems } = await compileXml(definitions(simple('a', '') + simple('b', 'isExecutable="false"')));
    // then
    expect(processes).toEqual([]);
    expect(summary(problems)).toEqual([
      'defs||None of the 2 processes (a, b) is marked isExecutable="true", so none would run: set isExecutable="true" on each one to deploy (those with elements: a, b)',
    ]);
  });

  it('names the pools when none is executable, says which to mark, and reports what else would stand in the way', async () => {
    // given a drawn pool with a mistake and a black-box pool, neither executable
    const xml = fixture('none-executable.bpmn');
    // when
    const { processes, problems } = await compileXml(xml);
    // then: still refused, with the drawn process's own problem in the same answer
    expect(processes).toEqual([]);
    expect(summary(problems)).toEqual([
      'defs||None of the 2 processes (orders "Orders", customer "Customer") is marked isExecutable="true", so none would run: set isExecutable="true" on "orders", the only one with elements',
      'charge|zeebe:taskDefinition.type|Service task "charge" needs a job type (zeebe:taskDefinition type)',
    ]);
  });

  it('says so when none of several processes is executable and none has elements', async () => {
    // when
    const { problems } = await compileXml(definitions('<bpmn:process id="a"/><bpmn:process id="b" name="Back office"/>'));
    // then
    expect(summary(problems)).toEqual([
      'defs||None of the 2 processes (a, b "Back office") is marked isExecutable="true", so none would run, and none of them has any elements',
    ]);
  });
});
