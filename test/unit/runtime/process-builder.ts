/**
 * Builds executable models for step-function tests without XML, e.g.
 *
 *   model('p')
 *     .add('start', 'startEvent').add('t', 'serviceTask', { jobType: { value: 'work' } }).add('end', 'endEvent')
 *     .flow('start', 't').flow('t', 'end')
 *     .build();
 *
 * Elements are added to the process, or to a sub-process with `{ parent }`.
 */
import type { ElementKind, ExecutableProcess, FlowElement, SequenceFlow } from '../../../engine/model/types.js';
import { computeInclusiveUpstream } from '../../../engine/model/inclusive-upstream.js';
import type { InstanceState, StepContext } from '../../../engine/runtime/types.js';

const defaults: Partial<Record<ElementKind, object>> = {
  serviceTask: { jobType: { value: 'work' }, retries: { value: '3' }, headers: {} },
  userTask: { headers: {} },
  inclusiveGateway: { upstream: {} },
  subProcess: { startEventId: '', children: [] },
};

export class ModelBuilder {
  private elements: Record<string, FlowElement> = {};
  private flows: Record<string, SequenceFlow> = {};
  private flowCount = 0;

  constructor(private readonly id: string) {
    this.elements[id] = { id, kind: 'process', parent: '', incoming: [], outgoing: [], inputs: [], outputs: [], startEventId: '', children: [] };
  }

  add(id: string, kind: ElementKind, props: Record<string, unknown> = {}): this {
    const parent = (props.parent as string) ?? this.id;
    // Defaults are cloned: two sub-processes must not share one `children` array.
    this.elements[id] = { id, kind, parent, incoming: [], outgoing: [], inputs: [], outputs: [], ...structuredClone(defaults[kind]), ...props } as FlowElement;
    const container = this.elements[parent] as { children: string[]; startEventId: string };
    container.children.push(id);
    if (kind === 'startEvent') container.startEventId = id;
    return this;
  }

  flow(from: string, to: string, options: { condition?: string; default?: boolean; id?: string } = {}): this {
    const id = options.id ?? `f${++this.flowCount}_${from}_${to}`;
    this.flows[id] = { id, sourceRef: from, targetRef: to, condition: options.condition };
    this.elements[from].outgoing.push(id);
    this.elements[to].incoming.push(id);
    if (options.default) (this.elements[from] as { defaultFlow?: string }).defaultFlow = id;
    return this;
  }

  /** Chains elements with unconditional flows: `.chain('start', 'a', 'b', 'end')`. */
  chain(...ids: string[]): this {
    for (let i = 1; i < ids.length; i++) this.flow(ids[i - 1], ids[i]);
    return this;
  }

  build(): ExecutableProcess {
    const model: ExecutableProcess = { id: this.id, elements: this.elements, flows: this.flows };
    computeInclusiveUpstream(model);
    return JSON.parse(JSON.stringify(model));
  }
}

export const model = (id = 'p') => new ModelBuilder(id);

/** A deterministic context: fixed clock, counting ids. */
export function testContext(now = '2026-11-25T12:00:00.000Z'): StepContext {
  let n = 0;
  return { now, newId: () => `id-${++n}`, actor: { id: 'test' } };
}

/** Element ids of live element instances (not the process itself), sorted. */
export function liveElements(state: InstanceState): string[] {
  return Object.values(state.elements)
    .filter((e) => e.kind !== 'process')
    .map((e) => e.elementId)
    .sort();
}
