/**
 * One problem, one line (modeler/src/modeler/problem-lines.ts): what the
 * deploy refused and the check while drawing also finds is one line in the
 * check's wording; what only one of them found stays. The deploy problems are
 * the compiler's own, from compiling the fixtures, not written by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import { problemLines, ruleOfDeployProblem, type Problem } from '../../../modeler/src/modeler/problem-lines.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

async function deployProblems(file: string): Promise<Problem[]> {
  const { problems } = await compile(fixture(file), file);
  return problems.map((p) => ({ source: 'deploy', severity: 'error', elementId: p.elementId, file: p.file, message: p.message, rule: ruleOfDeployProblem(p) }));
}

const lint = (elementId: string, rule: string, message: string): Problem => ({ source: 'lint', severity: 'error', elementId, rule, message });

describe('the problems list', () => {
  it('shows a refusal the check also finds once, in the check wording, marked as refused at deploy', async () => {
    // given the compiler's refusal of a conditional catch event, and the check's finding on it
    const deploy = await deployProblems('modeler/timer-catch.bpmn');
    const check = [lint('Timer_1', 'weft/unsupported-element', 'bpmn:IntermediateCatchEvent (bpmn:ConditionalEventDefinition) is not supported by Weft yet')];

    // when
    const lines = problemLines(deploy, check);

    // then
    expect(deploy).toHaveLength(1);
    expect(lines).toEqual([expect.objectContaining({ elementId: 'Timer_1', message: check[0].message, sources: ['lint', 'deploy'] })]);
  });

  it('matches jobs without a type by element, one line each', async () => {
    const deploy = await deployProblems('modeler/message-jobs-without-type.bpmn');
    const check = ['send-offer', 'tell-shop', 'tell-customer'].map((id) => lint(id, 'weft/job-type', 'needs a job type (Task definition → Type)'));

    const lines = problemLines(deploy, check);

    expect(lines.map((l) => [l.elementId, l.sources])).toEqual([
      ['send-offer', ['lint', 'deploy']],
      ['tell-shop', ['lint', 'deploy']],
      ['tell-customer', ['lint', 'deploy']],
    ]);
  });

  it('keeps what only the deploy found, and what only the check found, on their own lines', async () => {
    // given a script task the compiler refuses twice (expression, result variable) and the check once
    const deploy = await deployProblems('model/refused-activity-with-boundary.bpmn');
    const check = [lint('score', 'weft/script-task-feel', 'Script task needs a FEEL expression'), lint('score', 'label-required', 'Element is missing label/name')];

    const lines = problemLines([...deploy, { source: 'deploy', severity: 'error', file: 'triage.agent.json', message: 'model is required' }], check);

    expect(lines.map((l) => [l.elementId ?? l.file, l.rule, l.sources])).toEqual([
      ['score', 'weft/script-task-feel', ['lint', 'deploy']],
      ['triage.agent.json', undefined, ['deploy']],
      ['score', 'label-required', ['lint']],
    ]);
  });

  it('shows a complex gateway once though bpmnlint and Weft both flag it, in Weft wording', () => {
    const check = [lint('race', 'no-complex-gateway', 'Element type <bpmn:ComplexGateway> is discouraged'), lint('race', 'weft/unsupported-element', 'bpmn:ComplexGateway is not supported by Weft yet')];

    expect(problemLines([], check).map((l) => l.message)).toEqual(['bpmn:ComplexGateway is not supported by Weft yet']);
  });

  it('sorts the compiler problems into the rules of the check', async () => {
    const rules = (await deployProblems('model/unsupported-mix.bpmn')).map((p) => [p.elementId, p.rule]);
    expect(rules).toEqual(
      expect.arrayContaining([
        ['timer-start', 'weft/unsupported-element'],
        ['race', 'weft/unsupported-element'],
        ['wait-payment', 'weft/unsupported-element'],
      ]),
    );
    const [feel] = await deployProblems('modeler/feel-mistakes.bpmn');
    expect(feel.rule).toBe('weft/feel-syntax');
    const [rate] = await deployProblems('modeler/business-rule-task-new.bpmn');
    expect(rate.rule).toBe('weft/business-rule-task');
  });
});
