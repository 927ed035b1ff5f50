import { describe, expect, it } from 'vitest';
import { compileXml, fixture, processXml, summary } from './bpmn.js';

describe('compile: unsupported elements', () => {
  it('lists every unsupported element with its id and BPMN kind, not just the first', async () => {
    // given a process mixing supported and unsupported elements
    const xml = fixture('unsupported-mix.bpmn');
    // when
    const { processes, problems } = await compileXml(xml);
    // then
    expect(processes).toEqual([]);
    expect(summary(problems)).toEqual([
      'timer-start||bpmn:StartEvent "timer-start" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
      'review|zeebe:loopCharacteristics.inputCollection|Multi-instance "review" needs an input collection (zeebe:loopCharacteristics inputCollection) or a loopCardinality: how many times to run',
      'timeout||bpmn:BoundaryEvent "timeout" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
      'wait-payment||bpmn:IntermediateCatchEvent "wait-payment" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
      'call|zeebe:calledElement.processId|Call activity "call" needs the id of the process it calls (zeebe:calledElement processId)',
      'send||bpmn:ComplexGateway "send" is not supported by Weft yet',
      'race||bpmn:ComplexGateway "race" is not supported by Weft yet',
      'error-start||bpmn:StartEvent "error-start" (bpmn:ConditionalEventDefinition start of an event sub-process) is not supported by Weft yet',
      'end-msg||bpmn:EndEvent "end-msg" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
    ]);
    expect(problems.find((p) => p.elementId === 'send')).toEqual({
      file: 'test.bpmn',
      elementId: 'send',
      elementKind: 'bpmn:ComplexGateway',
      message: 'bpmn:ComplexGateway "send" is not supported by Weft yet',
    });
  });
});

describe('compile: what an unsupported element leaves behind is not reported again', () => {
  it.each([
    ['the default flow of a gateway leads to it', 'unsupported-default-target.bpmn', [
      'rate|zeebe:calledDecision.decisionId|Business rule task "rate" needs a DMN decision to evaluate (zeebe:calledDecision decisionId and resultVariable) or a job type for a worker (zeebe:taskDefinition type)',
    ]],
    ['it has an error boundary event', 'unsupported-activity-with-boundary.bpmn', [
      'rate|zeebe:calledDecision.decisionId|Business rule task "rate" needs a DMN decision to evaluate (zeebe:calledDecision decisionId and resultVariable) or a job type for a worker (zeebe:taskDefinition type)',
    ]],
    ['it is an activity refused for another reason, with a boundary event and a default flow into it', 'refused-activity-with-boundary.bpmn', [
      'score|zeebe:script.expression|Script task "score" needs a FEEL expression (zeebe:script expression)',
      'score|zeebe:script.resultVariable|Script task "score" needs a result variable (zeebe:script resultVariable)',
    ]],
    ['it is a boundary event with a flow leaving it', 'unsupported-boundary-event.bpmn', [
      'recalled||bpmn:BoundaryEvent "recalled" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
    ]],
    ['it is the only start event', 'unsupported-start-event.bpmn', [
      'signalled||bpmn:StartEvent "signalled" (bpmn:ConditionalEventDefinition) is not supported by Weft yet',
    ]],
    ['it is the only activity an agent could choose', 'unsupported-in-ad-hoc.bpmn', [
      'rate|zeebe:calledDecision.decisionId|Business rule task "rate" needs a DMN decision to evaluate (zeebe:calledDecision decisionId and resultVariable) or a job type for a worker (zeebe:taskDefinition type)',
    ]],
  ])('when %s', async (_case, file, expected) => {
    // when
    const { processes, problems } = await compileXml(fixture(file));
    // then the cause, once
    expect(processes).toEqual([]);
    expect(summary(problems)).toEqual(expected);
  });

  it('still reports a flow from an unsupported element to something that is no flow node', async () => {
    // given
    const xml = processXml(`
      <bpmn:startEvent id="start"/><bpmn:businessRuleTask id="rate"/><bpmn:endEvent id="end"/><bpmn:dataObjectReference id="notes"/>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="rate"/>
      <bpmn:sequenceFlow id="f2" sourceRef="rate" targetRef="end"/>
      <bpmn:sequenceFlow id="odd" sourceRef="rate" targetRef="notes"/>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'rate|zeebe:calledDecision.decisionId|Business rule task "rate" needs a DMN decision to evaluate (zeebe:calledDecision decisionId and resultVariable) or a job type for a worker (zeebe:taskDefinition type)',
      'odd||Sequence flow "odd" leads nowhere: bpmn:DataObjectReference "notes" is not a flow node',
    ]);
  });
});
