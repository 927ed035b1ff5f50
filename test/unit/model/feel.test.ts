import { describe, expect, it } from 'vitest';
import { feelSyntaxError } from '../../../engine/model/feel-check.js';
import { around, compileXml, processXml, summary } from './bpmn.js';

describe('feelSyntaxError', () => {
  it('accepts valid FEEL', () => {
    for (const ok of ['a > 1', 'x = 1 and y != "b"', 'if a then b else c', '{a: 1}.a', 'date and time("2020-01-01T00:00:00")', 'sum([1, 2])']) {
      expect(feelSyntaxError(ok), ok).toBeUndefined();
    }
  });

  it('finds errors that lezer recovers from silently', () => {
    // given / when / then
    expect(feelSyntaxError('a +')).toBe('unexpected end of expression');
    expect(feelSyntaxError('foo(')).toBe('unexpected end of expression');
    expect(feelSyntaxError('${input == 1}')).toBe('unexpected "${input ==" at position 1');
    expect(feelSyntaxError('  ')).toBe('the expression is empty');
  });
});

describe('compile: broken FEEL names the element and the field', () => {
  it.each([
    ['zeebe:taskDefinition.type', '<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="=a +"/></bpmn:extensionElements></bpmn:serviceTask>'],
    ['zeebe:taskDefinition.retries', '<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="t" retries="=a +"/></bpmn:extensionElements></bpmn:serviceTask>'],
    ['zeebe:input.source', '<bpmn:task id="x"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=a +" target="y"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>'],
    ['zeebe:output.source', '<bpmn:task id="x"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="a +" target="y"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>'],
    ['zeebe:assignmentDefinition.assignee', '<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=a +"/></bpmn:extensionElements></bpmn:userTask>'],
    ['zeebe:assignmentDefinition.candidateGroups', '<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=a +"/></bpmn:extensionElements></bpmn:userTask>'],
    ['zeebe:taskSchedule.dueDate', '<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:taskSchedule dueDate="=a +"/></bpmn:extensionElements></bpmn:userTask>'],
    ['zeebe:priorityDefinition.priority', '<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:priorityDefinition priority="=a +"/></bpmn:extensionElements></bpmn:userTask>'],
    ['zeebe:script.expression', '<bpmn:scriptTask id="x"><bpmn:extensionElements><zeebe:script expression="=a +" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>'],
  ])('in %s', async (field, element) => {
    // given
    const xml = around(element, 'x');
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([`x|${field}|Invalid FEEL expression in ${field}: unexpected end of expression (expression: a +)`]);
  });

  it('in a sequence flow condition, including JUEL that is not FEEL', async () => {
    // given
    const xml = processXml(`<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="d"/><bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g"/>
      <bpmn:sequenceFlow id="juel" sourceRef="g" targetRef="end"><bpmn:conditionExpression>\${input == 1}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="d" sourceRef="g" targetRef="end"/>`);
    // when
    const { problems } = await compileXml(xml);
    // then
    expect(summary(problems)).toEqual([
      'juel|conditionExpression|Invalid FEEL expression in conditionExpression: unexpected "${input ==" at position 1 (expression: ${input == 1})',
    ]);
  });
});
