import { describe, expect, it } from 'vitest';
import { compileDmn } from '../../../engine/dmn/index.js';
import { classify } from '../../../engine/model/index.js';
import { dmnFixture } from './dmn-fixtures.js';

const lines = (problems: { elementId?: string; field?: string; message: string }[]) => problems.map((p) => `${p.elementId ?? ''}|${p.field ?? ''}|${p.message}`);

describe('DMN: deploy-time problems name the file, the decision and the rule, input or output', () => {
  it('lists every mistake in a file of bad tables, and compiles nothing', async () => {
    // when
    const { drg, problems } = await compileDmn(dmnFixture('bad-tables.dmn'), 'bad-tables.dmn');
    // then
    expect(drg).toBeUndefined();
    expect(problems.every((p) => p.file === 'bad-tables.dmn')).toBe(true);
    expect(lines(problems)).toEqual([
      'bad-entry|rule:broken-rule/input:status|Decision "bad-entry": rule 1 ("broken-rule"), input "Status" (status): ">= "gold" ,," is not a valid FEEL unary test: unexpected "," at position 12',
      'bad-input|input:empty-input|Decision "bad-input": input "Nothing" has no input expression: say which value the rules test (e.g. a variable name)',
      'bad-output|rule:rule-a/output:result|Decision "bad-output": rule 1 ("rule-a"), output "result": "n +" is not valid FEEL: unexpected end of expression',
      'bad-shape|rule:short-rule|Decision "bad-shape": rule 1 ("short-rule") has 1 input entries for 2 inputs',
      'bad-policy|aggregation|Decision "bad-policy": an aggregation (SUM) needs the hit policy COLLECT, not FIRST',
      'bad-policy|output:first-out|Decision "bad-policy": output "first-out" needs a name: a table with several outputs gives each result under its output\'s name',
      'bad-policy|output:second-out|Decision "bad-policy": output "second-out" needs a name: a table with several outputs gives each result under its output\'s name',
      'bad-priority|hitPolicy|Decision "bad-priority": hit policy PRIORITY orders the matches by the outputs\' values lists, highest priority first, but no output has one (set "Output values" on an output, e.g. "high","medium","low")',
      'bad-language|literalExpression.text|The literal expression of decision "bad-language" is written in "javascript"; Weft evaluates FEEL only',
      'bad-logic|dmn:Context|Decision "bad-logic" is a Context; Weft evaluates decision tables and literal expressions',
      'bad-requirement|informationRequirement|Decision "bad-requirement" requires decision "nowhere", which is not in the file',
    ]);
    expect(problems[0]).toEqual({
      file: 'bad-tables.dmn',
      elementId: 'bad-entry',
      elementKind: 'dmn:DecisionTable',
      field: 'rule:broken-rule/input:status',
      message: expect.stringContaining('rule 1 ("broken-rule")'),
    });
  });

  it('refuses decisions that require each other in a circle', async () => {
    const { problems } = await compileDmn(dmnFixture('cycle.dmn'), 'cycle.dmn');
    expect(lines(problems)).toEqual(['a|informationRequirement|Decisions require each other in a circle (a → b → a): none of them could be evaluated first']);
  });

  it('refuses a table with an unknown hit policy or a COLLECT aggregation over two outputs', async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" namespace="x">
      <decision id="odd"><decisionTable hitPolicy="SOMETIMES"><output id="o" name="o"/></decisionTable></decision>
      <decision id="sum2"><decisionTable hitPolicy="COLLECT" aggregation="SUM"><output id="a" name="a"/><output id="b" name="b"/></decisionTable></decision>
    </definitions>`;
    const { problems } = await compileDmn(xml, 'odd.dmn');
    expect(lines(problems)).toEqual([
      'odd|hitPolicy|Decision "odd": unknown hit policy "SOMETIMES" (UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER, OUTPUT ORDER)',
      'sum2|aggregation|Decision "sum2": COLLECT SUM aggregates one output, but the table has 2',
    ]);
  });

  it('says what is wrong with a file that is not DMN 1.3: not XML, an older DMN, BPMN, no decision', async () => {
    const malformed = await compileDmn('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision id="a"', 'cut.dmn');
    expect(classify(malformed.problems)).toBe('malformed');
    const older = await compileDmn('<definitions xmlns="http://www.omg.org/spec/DMN/20180521/MODEL/" id="x"><decision id="a"/></definitions>', 'old.dmn');
    expect(older.problems.map((p) => p.message)).toEqual([
      'Not a DMN 1.3 document: the file is in namespace http://www.omg.org/spec/DMN/20180521/MODEL/ (an older DMN version); open and save it in a current modeler (dmn-js, Camunda Modeler), which writes DMN 1.3 (https://www.omg.org/spec/DMN/20191111/MODEL/)',
    ]);
    const bpmn = await compileDmn('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="x"/>', 'diagram.dmn');
    expect(bpmn.problems.map((p) => p.message)).toEqual(['Not a DMN 1.3 document: the root element is <bpmn:definitions>, expected <definitions> in namespace https://www.omg.org/spec/DMN/20191111/MODEL/']);
    const empty = await compileDmn('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="x" namespace="y"/>', 'empty.dmn');
    expect(empty.problems.map((p) => p.message)).toEqual(['The file holds no decision']);
    const entity = await compileDmn('<!DOCTYPE x [<!ENTITY a "b">]><definitions/>', 'entity.dmn');
    expect(classify(entity.problems)).toBe('malformed');
  });

  it('keeps a decision\'s version tag (zeebe:versionTag) and its variable name', async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" namespace="x">
      <decision id="tagged" name="Tagged"><extensionElements><zeebe:versionTag value="v2.1"/></extensionElements>
        <variable id="v" name="taggedResult"/><literalExpression><text>1</text></literalExpression></decision>
    </definitions>`;
    const { drg, problems } = await compileDmn(xml, 'tagged.dmn');
    expect(problems).toEqual([]);
    expect(drg?.decisions.tagged).toEqual({ id: 'tagged', name: 'Tagged', versionTag: 'v2.1', variableName: 'taggedResult', requires: [], logic: { type: 'literalExpression', expression: '1' } });
  });
});
