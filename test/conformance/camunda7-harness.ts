/**
 * Runs Camunda 7 test diagrams from ../shared/corpus through Weft's compiler
 * and pure step function, no database: the behaviour each should show is in
 * the corpus's EXPECTATIONS.md.
 *
 * Camunda 7 writes conditions in JUEL (`${input == 1}`); Camunda 8, and so
 * Weft, in FEEL. The harness translates the simple comparisons these files use
 * (==, !=, <, <=, >, >=, &&, ||) before compiling; nothing else is changed.
 */
import { readFileSync } from 'node:fs';
import { CORPUS_DIR } from '../support/corpus.js';
import { compile } from '../../engine/model/index.js';
import type { ExecutableProcess } from '../../engine/model/types.js';
import { startInstance, step } from '../../engine/runtime/step.js';
import type { Command, InstanceState, StepContext, Variables } from '../../engine/runtime/types.js';

export const CORPUS = CORPUS_DIR ? new URL(`file://${CORPUS_DIR}`) : undefined;

export function juelToFeel(xml: string): string {
  return xml.replace(/(<(?:\w+:)?conditionExpression[^>]*>\s*(?:<!\[CDATA\[)?\s*)\$\{([^}]*)\}(\s*(?:\]\]>)?)/g, (_m, open, expr: string, close) => {
    const feel = expr.replace(/==/g, '=').replace(/&&/g, ' and ').replace(/\|\|/g, ' or ').trim();
    return `${open}=${feel.replace(/</g, open.includes('CDATA') ? '<' : '&lt;')}${close}`;
  });
}

export async function loadCamunda7(name: string): Promise<ExecutableProcess> {
  if (!CORPUS) throw new Error('The shared corpus is not beside the repository (set WEFT_CORPUS)');
  const xml = juelToFeel(readFileSync(new URL(`camunda7/${name}`, CORPUS), 'utf8'));
  const { processes, problems } = await compile(xml, name);
  if (problems.length > 0) throw new Error(`${name} does not compile: ${problems.map((p) => `${p.elementId ?? ''} ${p.message}`).join('; ')}`);
  return processes[0];
}

export class Run {
  private n = 0;
  constructor(
    readonly model: ExecutableProcess,
    public state: InstanceState,
  ) {}

  static async start(name: string, variables: Variables = {}): Promise<Run> {
    const model = await loadCamunda7(name);
    const run = new Run(model, undefined as never);
    const result = startInstance(model, { id: 'instance', definitionKey: 'key', version: 1 }, variables, run.ctx());
    if (!result.ok) throw new Error(result.rejection.message);
    run.state = result.state;
    return run;
  }

  private ctx(): StepContext {
    return { now: '2026-11-25T12:00:00.000Z', newId: () => `id-${++this.n}`, actor: { id: 'conformance' } };
  }

  /** Names of the open user tasks, sorted. */
  tasks(): string[] {
    return Object.values(this.state.elements)
      .filter((e) => e.taskId)
      .map((e) => this.model.elements[e.elementId].name ?? e.elementId)
      .sort();
  }

  incidents(): string[] {
    return Object.values(this.state.incidents).map((i) => `${i.elementId}: ${i.type}`);
  }

  get ended(): boolean {
    return this.state.status !== 'ACTIVE';
  }

  /** Completes the (first) open user task with this name or element id. */
  complete(nameOrId: string, variables: Variables = {}): void {
    const element = Object.values(this.state.elements).find((e) => e.taskId && (this.model.elements[e.elementId].name === nameOrId || e.elementId === nameOrId));
    if (!element) throw new Error(`No open task '${nameOrId}'; open: ${this.tasks().join(', ')}`);
    this.apply({ type: 'COMPLETE_TASK', taskId: element.taskId!, variables });
  }

  private apply(command: Command): void {
    const result = step(this.model, this.state, command, this.ctx());
    if (!result.ok) throw new Error(result.rejection.message);
    this.state = result.state;
  }
}
