/**
 * Typed views of the moddle objects the DMN compiler reads (dmn-moddle,
 * DMN 1.3). Only the properties used here are listed, all optional where the
 * XML may omit them.
 */
import type { ModdleElement } from 'bpmn-moddle';

export type { ModdleElement };

export interface DmnDefinitions extends ModdleElement {
  id?: string;
  name?: string;
  drgElement?: ModdleElement[];
}

export interface DmnDecision extends ModdleElement {
  id?: string;
  name?: string;
  variable?: ModdleElement & { name?: string };
  informationRequirement?: (ModdleElement & { requiredDecision?: { href?: string }; requiredInput?: { href?: string } })[];
  knowledgeRequirement?: ModdleElement[];
  decisionLogic?: ModdleElement;
  extensionElements?: ModdleElement & { values?: (ModdleElement & { value?: string })[] };
}

/** `dmn:LiteralExpression` and `dmn:UnaryTests`: FEEL text. */
export interface DmnText extends ModdleElement {
  text?: string;
  expressionLanguage?: string;
}

export interface DmnInputClause extends ModdleElement {
  id?: string;
  label?: string;
  inputExpression?: DmnText;
}

export interface DmnOutputClause extends ModdleElement {
  id?: string;
  name?: string;
  label?: string;
  outputValues?: DmnText;
  defaultOutputEntry?: DmnText;
}

export interface DmnRule extends ModdleElement {
  id?: string;
  inputEntry?: DmnText[];
  outputEntry?: DmnText[];
}

export interface DmnDecisionTable extends ModdleElement {
  id?: string;
  hitPolicy?: string;
  aggregation?: string;
  input?: DmnInputClause[];
  output?: DmnOutputClause[];
  rule?: DmnRule[];
}
