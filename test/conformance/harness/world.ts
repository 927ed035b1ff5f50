/**
 * An engine in memory, for the conformance tests: corpus files compiled by
 * Weft's compiler, instances moved by its pure step function, a clock, and
 * the workers of service tasks. No database, no queue.
 *
 * The commands a corpus test needs and Weft's runtime does not have yet
 * (deliver a message, fire timers, broadcast a signal, list subscriptions)
 * are here already, as the API the tests are written against; each throws
 * "not executable yet: <reason>" until the runtime can do it. Whoever adds
 * the command to the runtime wires it here, and the tests that needed it
 * start to pass (see known-gaps.ts).
 */
import { compile } from '../../../engine/model/index.js';
import type { CompileResult, ExecutableProcess } from '../../../engine/model/types.js';
import { startInstance } from '../../../engine/runtime/step.js';
import type { Effect, JobSpec, StepContext, Variables } from '../../../engine/runtime/types.js';
import { visibleVariables } from '../../../engine/runtime/variables.js';
import { readCorpus } from './corpus.js';
import { dialectOf, translate } from './dialects.js';
import { Instance } from './instance.js';
import { DeployRefused, NotExecutableYet, notExecutableYet } from './not-executable.js';
import type { Edit } from './xml-edits.js';

/** A corpus file (path under the corpus, e.g. `camunda7/X.bpmn20.xml`) and the per-file translations a test states. */
export interface CorpusFile {
  path: string;
  edits?: Edit[];
}

/** A subscription: an event waiting for message or signal `name`, or a compensation handler waiting for its activity to be compensated. */
export interface Subscription {
  kind: 'message' | 'signal' | 'compensation';
  name: string;
  elementId: string;
  processId: string;
}

/** A timer waiting to fire (on a timer event, or a timer start event). */
export interface Timer {
  elementId: string;
  processId: string;
  dueAt: string;
}

/** A worker for service-task jobs of one type: returns the job's result variables. */
export type Worker = (job: JobSpec) => Variables;

/** What the harness does for Camunda 7 delegates (see dialects.ts). */
const CAMUNDA7_DELEGATES: Record<string, Worker> = {
  // `camunda:expression="${true}"`: evaluating it changes nothing.
  'camunda7:expression': () => ({}),
  // The tests' UndoService counts its calls in the variable its `counterName` field names.
  'camunda7:UndoService': (job) => {
    const counter = job.headers.counterName;
    return { [counter]: Number(job.variables[counter] ?? 0) + 1 };
  },
};

/** A file's XML as the compiler gets it: the folder's dialect translated, then the test's own edits. */
export function prepare(file: CorpusFile): string {
  const xml = translate(readCorpus(file.path), dialectOf(file.path));
  return (file.edits ?? []).reduce((text, edit) => edit(text), xml);
}

/** Compiles a corpus file as the harness would deploy it. */
export async function compileCorpusFile(file: string | CorpusFile): Promise<CompileResult> {
  const spec = typeof file === 'string' ? { path: file } : file;
  return compile(prepare(spec), spec.path);
}

export class World {
  private readonly models = new Map<string, ExecutableProcess>();
  private readonly workers = new Map<string, Worker>(Object.entries(CAMUNDA7_DELEGATES));
  readonly instances: Instance[] = [];
  /** Every value written to a variable named `log`, in order: where translated `log("…")` scripts write. */
  readonly log: unknown[] = [];
  private now = Date.parse('2026-11-25T12:00:00.000Z');
  private ids = 0;
  private working = false;

  /** Deploys the files, each whole or not at all; a refused file fails the test with the compiler's problems. */
  static async deploy(...files: (string | CorpusFile)[]): Promise<World> {
    const world = new World();
    const refused: DeployRefused[] = [];
    for (const file of files) {
      const spec = typeof file === 'string' ? { path: file } : file;
      const { processes, problems } = await compileCorpusFile(spec);
      if (problems.length > 0) refused.push(new DeployRefused(spec.path, problems));
      for (const process of processes) world.models.set(process.id, process);
    }
    // Every refused file is named, not just the first.
    if (refused.length === 1) throw refused[0];
    if (refused.length > 1) throw new NotExecutableYet(refused.map((r) => r.message.replace(/^not executable yet: /, '')).join('\n'));
    return world;
  }

  /** Ids of the deployed processes, in deployment order. */
  processIds(): string[] {
    return [...this.models.keys()];
  }

  /** Starts an instance at the none start event of `processId` (default: the first deployed process). */
  start(processId: string = this.processIds()[0], variables: Variables = {}): Instance {
    const model = this.models.get(processId);
    if (!model) throw new Error(`Process '${processId}' is not deployed; deployed: ${this.processIds().join(', ')}`);
    const instance = new Instance(this, model);
    this.instances.push(instance);
    instance.begin(startInstance(model, { id: `instance-${this.instances.length}`, definitionKey: processId, version: 1 }, variables, this.context()));
    return instance;
  }

  /** Works every job of `type` from now on with `worker`. */
  worker(type: string, worker: Worker): this {
    this.workers.set(type, worker);
    for (const instance of this.instances) this.work(instance);
    return this;
  }

  context(): StepContext {
    return { now: new Date(this.now).toISOString(), newId: () => `id-${++this.ids}`, actor: { id: 'conformance' } };
  }

  /** Open user tasks of every instance, as `processId: name`, sorted. */
  tasks(): string[] {
    return this.instances.flatMap((i) => i.tasks().map((t) => `${i.processId}: ${t}`)).sort();
  }

  /** Instances not ended. */
  running(): Instance[] {
    return this.instances.filter((i) => !i.ended);
  }

  /**
   * Stops and recovers the engine: every instance continues from its state
   * saved as JSON, as after a restart (what is not in the saved state is lost).
   */
  recover(): void {
    for (const instance of this.instances) instance.state = JSON.parse(JSON.stringify(instance.state));
  }

  // ------------------------------------------------ events Weft has no command for yet

  /**
   * Publishes message `name`: to instance `to` (as Camunda 7 tests deliver to an
   * execution), else by `correlationKey`, or to a message start event.
   */
  deliverMessage(name: string, _options: { to?: Instance; correlationKey?: string; variables?: Variables } = {}): void {
    notExecutableYet(`Weft's runtime has no command to deliver message '${name}' (no message correlation in step())`);
  }

  /** Starts an instance at the message start event for `name`. */
  startByMessage(name: string, _variables: Variables = {}): Instance {
    return notExecutableYet(`Weft cannot start an instance by message '${name}' (no message start events)`);
  }

  /** Broadcasts signal `name` to every waiting catch event and signal start event. */
  broadcast(name: string): void {
    notExecutableYet(`Weft's runtime has no command to broadcast signal '${name}'`);
  }

  /** Moves the clock on by an ISO 8601 duration and fires every timer that is due. */
  advance(duration: string): void {
    notExecutableYet(`Weft's runtime has no timers to fire after ${duration} (no timer state, no command in step())`);
  }

  /** Open timers (timer jobs) across all instances and timer start events. */
  timers(): Timer[] {
    return notExecutableYet("Weft's runtime keeps no timers");
  }

  /** Open subscriptions (message, signal, compensation) across all instances. */
  subscriptions(): Subscription[] {
    return notExecutableYet("Weft's runtime keeps no message or signal subscriptions");
  }

  // ------------------------------------------------ after every step

  /** Records the `log` writes of a step and works the jobs it created. */
  afterStep(instance: Instance, effects: Effect[]): void {
    for (const effect of effects) {
      const written = effect.type === 'AUDIT' && effect.event.type === 'VARIABLES_SET' ? (effect.event.payload?.variables as Variables | undefined) : undefined;
      if (written && 'log' in written) this.log.push(written.log);
    }
    this.work(instance);
  }

  /** Completes the instance's open jobs that have a worker, until none is left (re-entrant calls are folded in). */
  private work(instance: Instance): void {
    if (this.working) return;
    this.working = true;
    try {
      for (let round = 0; round < 1000 && !instance.ended; round++) {
        const job = Object.values(instance.state.jobs).find((j) => j.state === 'ACTIVATABLE' && this.workers.has(j.type));
        if (!job) return;
        const spec = this.jobSpec(instance, job.key);
        instance.apply({ type: 'COMPLETE_JOB', jobKey: job.key, variables: this.workers.get(job.type)!(spec) });
      }
    } finally {
      this.working = false;
    }
  }

  /** The job as its worker sees it: created with headers and the variables visible then. */
  private jobSpec(instance: Instance, jobKey: string): JobSpec {
    const job = instance.state.jobs[jobKey];
    const model = instance.model.elements[job.elementId] as { headers?: Record<string, string> };
    const scopeKey = instance.state.elements[job.elementInstanceKey]?.key;
    return {
      key: job.key,
      type: job.type,
      elementId: job.elementId,
      elementInstanceKey: job.elementInstanceKey,
      retries: job.retries,
      headers: model.headers ?? {},
      variables: scopeKey ? visibleVariables(instance.state, scopeKey) : {},
    };
  }
}

/** Deploys one corpus file (with the test's translations) and starts its first process. */
export async function start(path: string, variables: Variables = {}, ...edits: Edit[]): Promise<Instance> {
  const world = await World.deploy({ path, edits });
  return world.start(undefined, variables);
}
