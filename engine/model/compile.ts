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
    .map((p) => compileProcess(p, problems));
  return { processes: problems.list.length > 0 ? [] : processes, problems: problems.list };
}

function compileProcess(process: Container, problems: Problems): ExecutableProcess {
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
  const graph = { elements: ctx.elements, flows: ctx.flows };
  validate(graph, problems, ctx.unsupported);
  computeInclusiveUpstream(graph);
  const result: ExecutableProcess = { id: process.id, ...graph };
  if (process.name !== undefined) result.name = process.name;
  return result;
}
