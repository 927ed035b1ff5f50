import { describe, expect, it } from 'vitest';
import { feelSyntaxError } from '../../../engine/model/feel-check.js';
import { around, compileXml, fixture, processXml, summary } from './bpmn.js';

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

describe('FEEL string literals over several lines (Zeebe\'s dialect)', () => {
  it('are valid, as in Camunda 8', () => {
    // given prompts written over several lines in the modeler, with LF or CRLF line ends
    const prompts = [
      '"You are a helpful\nassistant. Summarise " + text',
      '"First line\r\nsecond line"',
      '"quoted \\"word\\"\nand more"',
      '`a name\nover lines` + 1',
    ];
    // when / then
    for (const prompt of prompts) expect(feelSyntaxError(prompt), prompt).toBeUndefined();
  });

  it('still have to end', () => {
    // when / then: a line break does not end a string, so an unclosed one is found where it starts
    expect(feelSyntaxError('"You are a helpful\nassistant')).toBe('unexpected ""You are a" at position 1');
    expect(feelSyntaxError('"a" + \n')).toBe('unexpected end of expression');
  });

  it('compile in a mapping, a script and a condition', async () => {
    // given a multi-line prompt as the modeler writes it
    const xml = fixture('multi-line-feel.bpmn');
    // when
    const { processes, problems } = await compileXml(xml);
    // then
    expect(problems).toEqual([]);
    expect(processes[0].elements.ask).toMatchObject({
      inputs: [{ source: { feel: '"You are a helpful\nassistant. Summarise " + text' }, target: 'prompt' }],
      expression: '"Summary of:\r\n" + prompt',
    });
    expect(processes[0].flows.long.condition).toBe('answer != "short\nanswer"');
  });
});

describe('compile: broken FEEL names the element and the field', () => {
  it.each([
    ['zeebe:taskDefinition.type', '<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="=a +"/></bpmn:extensionElements></bpmn:serviceTask>'],
    ['zeebe:taskDefinition.retries', '<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="t" retries="=a +"/></bpmn:extensionElements></bpmn:serviceTask>'],
    ['zeebe:input.source', '<bpmn:task id="x"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=a +" target="y"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>'],
    ['zeebe:output.source', '<bpmn:task id="x"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=a +" target="y"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:task>'],
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
