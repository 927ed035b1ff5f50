/**
 * The deploy-time DMN compiler: a `.dmn` file in, its decisions as plain
 * JSON (or problems) out. It never throws for bad input. Every problem names
 * the file and the decision (`elementId`), and where inside it the mistake
 * is (`field`: `rule:<id>`, `input:<id>`, `output:<id>`, or both of a rule's
 * cell) with the reason; any problem makes the deployment a 422, as for BPMN.
 *
 * What Weft evaluates (as Camunda 8 does): decision tables with every hit
 * policy, literal expressions, and decisions that require other decisions of
 * the same file. Other decision logic (boxed contexts, relations, lists,
 * invocations of business knowledge models) is refused by name.
 */
import type { ModelProblem } from '../model/types.js';
import { feelSyntaxError } from '../model/feel-check.js';
import { Problems } from '../model/problems.js';
import { parseDmn } from './parse-dmn.js';
import { compileDecisionTable } from './decision-table-compiler.js';
import type { DmnDecision, DmnDecisionTable, DmnText, ModdleElement } from './moddle.js';
import type { CompiledDecision, CompiledDrg, LiteralExpressionLogic } from './types.js';
import { findCycle } from './requirements.js';
import { feelText } from './feel-text.js';

export interface DmnCompileResult {
  drg?: CompiledDrg;
  problems: ModelProblem[];
}

export async function compileDmn(xml: string, file: string): Promise<DmnCompileResult> {
  const problems = new Problems(file);
  const definitions = await parseDmn(xml, problems);
  if (!definitions) return { problems: problems.list };
  const decisions: Record<string, CompiledDecision> = {};
  const elements = definitions.drgElement ?? [];
  for (const element of elements) {
    if (element.$type === 'dmn:Decision') {
      const decision = compileDecision(element as DmnDecision, problems);
      if (decision) decisions[decision.id] = decision;
    } else if (element.$type === 'dmn:BusinessKnowledgeModel' || element.$type === 'dmn:DecisionService') {
      problems.add({ elementId: element.id, elementKind: element.$type }, `${element.$type} "${element.id}" is not supported by Weft yet: write its logic in the decision that uses it`);
    }
    // Input data and knowledge sources only document where inputs come from.
  }
  if (elements.every((e) => e.$type !== 'dmn:Decision')) problems.add({}, 'The file holds no decision');
  checkRequirements(decisions, problems);
  if (problems.list.length > 0) return { problems: problems.list };
  const drg: CompiledDrg = { id: definitions.id ?? file, decisions };
  if (definitions.name) drg.name = definitions.name;
  return { drg, problems: [] };
}

function compileDecision(node: DmnDecision, problems: Problems): CompiledDecision | undefined {
  const id = node.id?.trim();
  if (!id) {
    problems.add({ elementKind: 'dmn:Decision' }, `A decision${node.name ? ` ("${node.name}")` : ''} has no id: a business rule task calls a decision by its id`);
    return undefined;
  }
  const at = { elementId: id, elementKind: 'dmn:Decision' };
  if (node.knowledgeRequirement?.length) problems.add({ ...at, field: 'knowledgeRequirement' }, `Decision "${id}" requires a business knowledge model; Weft does not evaluate those yet`);
  const requires: string[] = [];
  for (const requirement of node.informationRequirement ?? []) {
    const href = requirement.requiredDecision?.href;
    if (href === undefined) continue; // a required input (input data) is read from the variables
    if (!href.startsWith('#')) {
      problems.add({ ...at, field: 'informationRequirement' }, `Decision "${id}" requires "${href}" from another file; Weft evaluates required decisions of the same file only`);
      continue;
    }
    requires.push(href.slice(1));
  }
  const logic = compileLogic(id, node.decisionLogic, problems);
  if (!logic) return undefined;
  const decision: CompiledDecision = { id, requires, logic };
  if (node.name) decision.name = node.name;
  const variableName = node.variable?.name?.trim();
  if (variableName && variableName !== id) decision.variableName = variableName;
  const versionTag = node.extensionElements?.values?.find((v) => v.$type === 'zeebe:VersionTag')?.value?.trim();
  if (versionTag) decision.versionTag = versionTag;
  return decision;
}

function compileLogic(id: string, logic: ModdleElement | undefined, problems: Problems): CompiledDecision['logic'] | undefined {
  const at = { elementId: id, elementKind: 'dmn:Decision' };
  if (!logic) {
    problems.add(at, `Decision "${id}" has no logic: give it a decision table or a literal expression`);
    return undefined;
  }
  if (logic.$type === 'dmn:DecisionTable') return compileDecisionTable(id, logic as DmnDecisionTable, problems);
  if (logic.$type === 'dmn:LiteralExpression') return compileLiteral(id, logic as DmnText, problems);
  const kind = logic.$type.replace(/^dmn:/, '');
  problems.add({ ...at, field: logic.$type }, `Decision "${id}" is a ${kind}; Weft evaluates decision tables and literal expressions`);
  return undefined;
}

function compileLiteral(id: string, node: DmnText, problems: Problems): LiteralExpressionLogic | undefined {
  const at = { elementId: id, elementKind: 'dmn:LiteralExpression', field: 'literalExpression.text' };
  const text = feelText(node, `The literal expression of decision "${id}"`, (message) => problems.add(at, message));
  if (text === undefined) return undefined;
  if (text === '') {
    problems.add(at, `The literal expression of decision "${id}" is empty`);
    return undefined;
  }
  const error = feelSyntaxError(text);
  if (error) {
    problems.add(at, `The literal expression of decision "${id}" is not valid FEEL: ${error}`);
    return undefined;
  }
  const logic: LiteralExpressionLogic = { type: 'literalExpression', expression: text };
  if (node.id) logic.id = node.id;
  return logic;
}

/** Every required decision is in the file, and no decision requires itself through others. */
function checkRequirements(decisions: Record<string, CompiledDecision>, problems: Problems): void {
  for (const decision of Object.values(decisions)) {
    for (const required of decision.requires) {
      if (decisions[required]) continue;
      problems.add(
        { elementId: decision.id, elementKind: 'dmn:Decision', field: 'informationRequirement' },
        `Decision "${decision.id}" requires decision "${required}", which is not in the file`,
      );
    }
  }
  const cycle = findCycle(decisions);
  if (cycle) {
    problems.add(
      { elementId: cycle[0], elementKind: 'dmn:Decision', field: 'informationRequirement' },
      `Decisions require each other in a circle (${[...cycle, cycle[0]].join(' → ')}): none of them could be evaluated first`,
    );
  }
}
