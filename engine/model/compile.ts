/**
 * The deploy-time compiler: BPMN XML in, executable processes (or problems)
 * out. It never throws for bad input; see problems.ts for telling unreadable
 * input from a model Weft cannot run.
 */
import type { CompileResult, ExecutableProcess, ProcessElement } from './types.js';
import type { Container } from './moddle.js';
import { Problems } from './problems.js';
import { parseXml } from './parse-xml.js';
import { transformContainer } from './container.js';
import type { TransformContext } from './transformers/index.js';
import { validate } from './validate.js';
import { computeInclusiveUpstream } from './inclusive-upstream.js';
import { checkNesting } from './nesting.js';
import { selectProcesses } from './select-processes.js';
import { historyTtlOf } from './history-ttl.js';
import type { Definitions } from './moddle.js';

/**
 * Compiles every executable process of a BPMN file. `file` is only used to
 * label problems. If any problem is found, `processes` is empty: a file
 * deploys whole or not at all.
 */
export async function compile(xml: string, file: string): Promise<CompileResult> {
  const problems = new Problems(file);
  const definitions = await parseXml(xml, problems);
  if (!definitions) return { processes: [], problems: problems.list };
  // The nesting check is iterative and comes first: compiling containers is recursive.
  const processes = selectProcesses(definitions, problems)
    .filter((p) => checkNesting(p, problems))
    .map((p) => compileProcess(p, problems, definitions));
  return { processes: problems.list.length > 0 ? [] : processes, problems: problems.list };
}

function compileProcess(process: Container, problems: Problems, definitions: Definitions): ExecutableProcess {
  const root: ProcessElement = {
    kind: 'process',
    id: process.id,
    parent: '',
    incoming: [],
    outgoing: [],
    inputs: [],
    outputs: [],
    startEventId: '',
    children: [],
  };
  if (process.name !== undefined) root.name = process.name;
  const ctx: TransformContext = { problems, elements: { [root.id]: root }, flows: {}, unsupported: new Set(), transformContainer };
  transformContainer(process, root, ctx);
  linkEvents(root, ctx);
  resolveLinks(ctx, problems);
  const graph = { elements: ctx.elements, flows: ctx.flows };
  validate(graph, problems, ctx.unsupported);
  computeInclusiveUpstream(graph);
  const result: ExecutableProcess = { id: process.id, ...graph };
  if (process.name !== undefined) result.name = process.name;
  const historyTtlDays = historyTtlOf(process, definitions, problems);
  if (historyTtlDays !== undefined) result.historyTtlDays = historyTtlDays;
  return result;
}

/**
 * Lists, once every element exists, each waiting boundary event on the
 * activity it is attached to (in document order), the process's timer and
 * message start events on the process, and each event sub-process on the
 * scope that encloses it.
 */
function linkEvents(root: ProcessElement, ctx: TransformContext): void {
  for (const element of Object.values(ctx.elements)) {
    if (element.kind === 'timerBoundaryEvent' || element.kind === 'messageBoundaryEvent' || element.kind === 'signalBoundaryEvent') {
      const host = ctx.elements[element.attachedTo];
      if (host) (host.boundaryEvents ??= []).push(element.id);
    }
    if ((element.kind === 'timerStartEvent' || element.kind === 'messageStartEvent' || element.kind === 'signalStartEvent') && element.parent === root.id) {
      (root.eventStarts ??= []).push(element.id);
    }
    if (element.kind === 'compensationBoundaryEvent') {
      const host = ctx.elements[element.attachedTo];
      if (host) host.compensationHandler = element.handler;
    }
    if (element.kind === 'eventSubProcess') {
      const container = ctx.elements[element.parent];
      if (container && 'children' in container) (container.eventSubProcesses ??= []).push(element.id);
    }
  }
}

/** Each link throw event jumps to the one link catch event of its name in its scope. */
function resolveLinks(ctx: TransformContext, problems: Problems): void {
  const elements = Object.values(ctx.elements);
  for (const element of elements) {
    if (element.kind !== 'linkThrowEvent') continue;
    const catches = elements.filter((e) => e.kind === 'linkCatchEvent' && e.parent === element.parent && e.linkName === element.linkName);
    const where = { elementId: element.id, elementKind: 'bpmn:IntermediateThrowEvent', field: 'linkEventDefinition.name' };
    if (catches.length === 1) element.target = catches[0].id;
    else if (catches.length === 0) problems.add(where, `Link throw event "${element.id}" jumps to link "${element.linkName}", but no link catch event of that name is in the same scope`);
    else problems.add(where, `Link "${element.linkName}" has ${catches.length} catch events in the same scope (${catches.map((c) => c.id).join(', ')}); it needs exactly one`);
  }
}
