import { describe, expect, it } from 'vitest';
import { compileOne, processXml } from './bpmn.js';

describe('compile: events, gateways and the process element', () => {
  it('compiles the process element, start, end and terminate end events', async () => {
    // given
    const xml = processXml(`
      <bpmn:startEvent id="start" name="Go"/>
      <bpmn:parallelGateway id="fork"/>
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
      <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="end"/>
      <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="stop"/>`);
    // when
    const process = await compileOne(xml);
    // then
    expect(process.id).toBe('p');
    expect(process.elements.p).toEqual({
      kind: 'process', id: 'p', parent: '', incoming: [], outgoing: [], inputs: [], outputs: [],
      startEventId: 'start', children: ['start', 'fork', 'end', 'stop'],
    });
    expect(process.elements.start).toMatchObject({ kind: 'startEvent', name: 'Go', parent: 'p', outgoing: ['f1'] });
    expect(process.elements.fork).toMatchObject({ kind: 'parallelGateway', incoming: ['f1'], outgoing: ['f2', 'f3'] });
    expect(process.elements.end).toMatchObject({ kind: 'endEvent', incoming: ['f2'] });
    expect(process.elements.stop).toMatchObject({ kind: 'terminateEndEvent', incoming: ['f3'] });
    expect(process.flows.f2).toEqual({ id: 'f2', sourceRef: 'fork', targetRef: 'end' });
  });

  it('compiles exclusive and inclusive gateways with default flows and FEEL conditions', async () => {
    // given
    const xml = processXml(`
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="x" default="x-default"/>
      <bpmn:inclusiveGateway id="o" default="o-default"/>
      <bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="x"/>
      <bpmn:sequenceFlow id="x-big" name="big" sourceRef="x" targetRef="o">
        <bpmn:conditionExpression>=amount &gt; 100</bpmn:conditionExpression>
      </bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="x-default" sourceRef="x" targetRef="end"/>
      <bpmn:sequenceFlow id="o-a" sourceRef="o" targetRef="end">
        <bpmn:conditionExpression> needsA </bpmn:conditionExpression>
      </bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="o-default" sourceRef="o" targetRef="end"/>`);
    // when
    const process = await compileOne(xml);
    // then
    expect(process.elements.x).toMatchObject({ kind: 'exclusiveGateway', defaultFlow: 'x-default' });
    expect(process.elements.o).toMatchObject({ kind: 'inclusiveGateway', defaultFlow: 'o-default', upstream: { 'x-big': ['start', 'x'] } });
    expect(process.flows['x-big']).toEqual({ id: 'x-big', name: 'big', sourceRef: 'x', targetRef: 'o', condition: 'amount > 100' });
    // a condition without `=` is FEEL too
    expect(process.flows['o-a'].condition).toBe('needsA');
  });

  it('ignores conditions on flows out of a parallel gateway', async () => {
    // given
    const xml = processXml(`
      <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
      <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="end">
        <bpmn:conditionExpression>=this is not ( valid</bpmn:conditionExpression>
      </bpmn:sequenceFlow>`);
    // when
    const process = await compileOne(xml);
    // then
    expect(process.flows.f2).not.toHaveProperty('condition');
  });

  it('ignores data objects, text annotations, associations and lanes', async () => {
    // given
    const xml = `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:collaboration id="c"><bpmn:participant id="pool" processRef="p"/></bpmn:collaboration>
  <bpmn:process id="p">
    <bpmn:laneSet id="ls"><bpmn:lane id="lane"><bpmn:flowNodeRef>start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
    <bpmn:dataObject id="do"/><bpmn:dataObjectReference id="dor" dataObjectRef="do"/>
    <bpmn:textAnnotation id="note"><bpmn:text>hi</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="a" sourceRef="start" targetRef="note"/>
  </bpmn:process>
</bpmn:definitions>`;
    // when
    const process = await compileOne(xml);
    // then
    expect(Object.keys(process.elements)).toEqual(['p', 'start', 'end']);
  });

  it('gives id-less sequence flows (valid BPMN) a stable id from their ends', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow sourceRef="start" targetRef="end"/><bpmn:sequenceFlow sourceRef="start" targetRef="end"/>`);
    // when
    const process = await compileOne(xml);
    // then
    expect(Object.keys(process.flows)).toEqual(['start->end', 'start->end#2']);
    expect(process.elements.end.incoming).toEqual(['start->end', 'start->end#2']);
  });
});

describe('compile: start events of one process', () => {
  it('refuses two signal start events for one signal name, but not event sub-processes that listen to it', async () => {
    const { compile } = await import('../../../engine/model/index.js');
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:signal id="go" name="go" />
      <bpmn:process id="p" isExecutable="true">
        <bpmn:startEvent id="a"><bpmn:signalEventDefinition signalRef="go" /></bpmn:startEvent>
        <bpmn:startEvent id="b"><bpmn:signalEventDefinition signalRef="go" /></bpmn:startEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="a" targetRef="e" /><bpmn:sequenceFlow id="f2" sourceRef="b" targetRef="e" /><bpmn:endEvent id="e" />
      </bpmn:process></bpmn:definitions>`;
    const { problems } = await compile(xml, 's.bpmn');
    expect(problems).toMatchObject([{ elementId: 'b', field: 'bpmn:Signal.name', message: expect.stringContaining("both wait for the signal 'go'") }]);
    const ok = await compile(
      `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:signal id="go" name="go" />
      <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="sub" />
        <bpmn:subProcess id="sub"><bpmn:startEvent id="ss" /><bpmn:sequenceFlow id="sf" sourceRef="ss" targetRef="se" /><bpmn:endEvent id="se" />
          <bpmn:subProcess id="esp1" triggeredByEvent="true"><bpmn:startEvent id="g1" isInterrupting="false"><bpmn:signalEventDefinition signalRef="go" /></bpmn:startEvent>
            <bpmn:sequenceFlow id="e1" sourceRef="g1" targetRef="x1" /><bpmn:endEvent id="x1" /></bpmn:subProcess></bpmn:subProcess>
        <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="e" /><bpmn:endEvent id="e" />
        <bpmn:subProcess id="esp2" triggeredByEvent="true"><bpmn:startEvent id="g2" isInterrupting="false"><bpmn:signalEventDefinition signalRef="go" /></bpmn:startEvent>
          <bpmn:sequenceFlow id="e2" sourceRef="g2" targetRef="x2" /><bpmn:endEvent id="x2" /></bpmn:subProcess>
      </bpmn:process></bpmn:definitions>`,
      'ok.bpmn',
    );
    expect(ok.problems).toEqual([]);
  });
});
