/**
 * The harness's translations (dialects.ts, xml-edits.ts): what they turn
 * the other engines' expressions into, and that they leave the rest of a
 * file's text alone.
 */
import { describe, expect, it } from 'vitest';
import { environmentToFeel, juelTemplate, juelToFeel, translate } from './dialects.js';
import { condition, loopDataInputAsZeebe, retag, script } from './xml-edits.js';

describe('conformance harness: dialect translations', () => {
  it('JUEL comparisons and logic become FEEL', () => {
    expect(juelToFeel('${input == 3 || input == 1}')).toBe('input = 3 or input = 1');
    expect(juelToFeel('${a && !b}')).toBe('a and not(b)');
    expect(juelToFeel('${not confirmed}')).toBe('not(confirmed)');
    expect(juelToFeel('${x != 1}')).toBe('x != 1');
    expect(juelToFeel('${nrOfCompletedInstances/nrOfInstances >= 0.6 }')).toBe('nrOfCompletedInstances/nrOfInstances >= 0.6');
    expect(juelToFeel('5')).toBeUndefined();
  });

  it('a Camunda 7 text with ${…} parts becomes a FEEL string expression', () => {
    expect(juelTemplate('kermit')).toBe('kermit');
    expect(juelTemplate('${assignee}')).toBe('=assignee');
    expect(juelTemplate('kermit_${loopCounter}')).toBe('="kermit_" + string(loopCounter)');
  });

  it('bpmn-elements environment references become FEEL names; service calls are left for the test', () => {
    expect(environmentToFeel('${environment.variables.take2}')).toBe('take2');
    expect(environmentToFeel('${environment.output.count}')).toBe('count');
    expect(environmentToFeel('${true}')).toBe('true');
    expect(environmentToFeel('${environment.services.isAbove(10, environment.output.amount)}')).toBeUndefined();
    expect(environmentToFeel('${content.output.form.amount}')).toBeUndefined();
  });

  it('edits change only the element they name', () => {
    const xml = '<bpmn:definitions xmlns:bpmn="b"><bpmn:sequenceFlow id="f" sourceRef="a" targetRef="b"><bpmn:conditionExpression language="js">next(null, x);</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:manualTask id="m"/><bpmn:scriptTask id="s"></bpmn:scriptTask></bpmn:definitions>';
    const edited = [condition('f', 'x < 1'), retag('m', 'manualTask', 'userTask'), script('s', '"a"', 'log')].reduce((text, edit) => edit(text), xml);
    expect(edited).toBe(
      '<bpmn:definitions xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:bpmn="b"><bpmn:sequenceFlow id="f" sourceRef="a" targetRef="b"><bpmn:conditionExpression>=x &lt; 1</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:userTask id="m"/><bpmn:scriptTask id="s"><bpmn:extensionElements><zeebe:script expression="=&quot;a&quot;" resultVariable="log"/></bpmn:extensionElements></bpmn:scriptTask></bpmn:definitions>',
    );
  });

  it("Camunda 7's loopDataInputRef naming a variable becomes Zeebe's input collection; other loops are left alone", () => {
    const xml = '<definitions><userTask id="t"><multiInstanceLoopCharacteristics isSequential="false"><loopDataInputRef>assigneeList</loopDataInputRef><inputDataItem name="assignee" /><completionCondition>=x</completionCondition></multiInstanceLoopCharacteristics></userTask></definitions>';
    expect(loopDataInputAsZeebe()(xml)).toBe(
      '<definitions xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"><userTask id="t"><multiInstanceLoopCharacteristics isSequential="false"><extensionElements><zeebe:loopCharacteristics inputCollection="=assigneeList" inputElement="assignee"/></extensionElements><completionCondition>=x</completionCondition></multiInstanceLoopCharacteristics></userTask></definitions>',
    );
    const cardinality = '<definitions><task id="t"><multiInstanceLoopCharacteristics><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics></task></definitions>';
    expect(loopDataInputAsZeebe()(cardinality)).toBe(cardinality);
  });

  it("a Camunda 7 call activity passes only its camunda:in and takes back only its camunda:out, as mappings", () => {
    const xml = '<definitions><callActivity id="c" calledElement="sub"><extensionElements><camunda:in source="a" target="b" /><camunda:out sourceExpression="${x+5}" target="z" /></extensionElements></callActivity></definitions>';
    const translated = translate(xml, 'camunda7');
    expect(translated).toContain('<zeebe:calledElement propagateAllParentVariables="false" propagateAllChildVariables="false"/>');
    expect(translated).toContain('<zeebe:ioMapping><zeebe:input source="=a" target="b"/><zeebe:output source="=x+5" target="z"/></zeebe:ioMapping>');
    const all = '<definitions><callActivity id="c" calledElement="sub"><extensionElements><camunda:in variables="all" /></extensionElements></callActivity></definitions>';
    expect(translate(all, 'camunda7')).toContain('<zeebe:calledElement propagateAllParentVariables="true" propagateAllChildVariables="false"/>');
  });

  it('an edit naming no element is a bug in the test (TypeError), never a gap', () => {
    expect(() => condition('nope', 'true')('<definitions/>')).toThrow(TypeError);
  });
});
