/**
 * An engine in memory, for the conformance tests: corpus files compiled by
 * Weft's compiler, instances moved by its pure step function, a clock, and
 * the workers of service tasks. No database, no queue.
 *
 * What Weft's I/O layer does around the step function is played here by
 * small modules, with the same rules: message correlation (messages.ts),
 * signal broadcasts (signals.ts), timers and timer start events
 * (timers.ts), what the instances wait for (waits.ts), job workers
 * (workers.ts), call activities' child instances (children.ts). After every
 * step the world settles: a signal an instance threw is delivered to the
 * others, a child's end to its parent, a cancel to the child of a call
 * activity that ended early, and the jobs that have a worker are worked,
 * until nothing is left to do.
 */
import { compile } from '../../../engine/model/index.js';
import type { CompileResult, ExecutableProcess } from '../../../engine/model/types.js';
import { startInstance } from '../../../engine/runtime/step.js';
import type { ChildInstanceSpec, ChildOutcome, Effect, ParentLink, StepContext, StepResult, Variables } from '../../../engine/runtime/types.js';
import { addDuration } from '../../../engine/runtime/waits/iso-duration.js';
import { calledProcess, parentCommand, stillWaiting } from './children.js';
import { readCorpus } from './corpus.js';
import { dialectOf, translate } from './dialects.js';
import { Instance } from './instance.js';
import { publishMessage, type Message } from './messages.js';
import { DeployRefused, NotExecutableYet } from './not-executable.js';
import { broadcastSignal, type Signal } from './signals.js';
import { armStartTimers, fireDueTimers, type StartTimer } from './timers.js';
import { subscriptions, timers, type Subscription, type Timer } from './waits.js';
import { CAMUNDA7_DELEGATES, jobSpec, nextWorkableJob, type Worker } from './workers.js';
import type { Edit } from './xml-edits.js';

export type { Subscription, Timer } from './waits.js';
export type { Worker } from './workers.js';

/** A corpus file (path under the corpus, e.g. `camunda7/X.bpmn20.xml`) and the per-file translations a test states. */
export interface CorpusFile {
  path: string;
  edits?: Edit[];
}

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

/** More steps than this to settle after one command is a loop without end. */
const SETTLE_LIMIT = 10_000;

/** What a step leaves for after it: the I/O layer's outbox, delivered in order once the step is done. */
type Delivery =
  /** A signal thrown inside an instance, for the others. */
  | { type: 'signal'; signal: Signal }
  /** A child instance ended (NOTIFY_PARENT): its parent hears of it. */
  | { type: 'child-ended'; child: Instance; parent: ParentLink; outcome: ChildOutcome }
  /** The called process could not be started. */
  | { type: 'child-start-failed'; caller: Instance; child: ChildInstanceSpec; message: string }
  /** The call activity ended before its child (CANCEL_CHILD_INSTANCE). */
  | { type: 'cancel-child'; childId: string };

export class World {
  /** The latest deployed version of each process, by id. */
  private readonly models = new Map<string, ExecutableProcess>();
  /** The processes deployed together with each one (`deploy` / `of` is one deployment). */
  private readonly deployments = new Map<ExecutableProcess, ExecutableProcess[]>();
  private readonly workers = new Map<string, Worker>(Object.entries(CAMUNDA7_DELEGATES));
  readonly instances: Instance[] = [];
  /** Every value written to a variable named `log`, in order: where translated `log("…")` scripts write. */
  readonly log: unknown[] = [];
  /** The clock: moved only by `advance`. */
  now = '2026-11-25T12:00:00.000Z';
  /** Armed timer start events of the deployed processes. */
  startTimers: StartTimer[] = [];
  /** What steps left for after them (signals, children's ends, cancels), delivered in order. */
  private readonly outbox: Delivery[] = [];
  /** When each wait was opened (a counter), as the I/O layer's rows record it. */
  private readonly openOrder = new Map<string, number>();
  private ids = 0;
  private settling = false;

  /** Deploys the files, each whole or not at all; a refused file fails the test with the compiler's problems. */
  static async deploy(...files: (string | CorpusFile)[]): Promise<World> {
    const refused: DeployRefused[] = [];
    const compiled: ExecutableProcess[] = [];
    for (const file of files) {
      const spec = typeof file === 'string' ? { path: file } : file;
      const { processes, problems } = await compileCorpusFile(spec);
      if (problems.length > 0) refused.push(new DeployRefused(spec.path, problems));
      compiled.push(...processes);
    }
    // Every refused file is named, not just the first.
    if (refused.length === 1) throw refused[0];
    if (refused.length > 1) throw new NotExecutableYet(refused.map((r) => r.message.replace(/^not executable yet: /, '')).join('\n'));
    return World.of(...compiled);
  }

  /** A world with these compiled processes deployed. */
  static of(...models: ExecutableProcess[]): World {
    return new World().add(...models);
  }

  /** Deploys these compiled processes as one more deployment: a process id deployed again is its new latest version. */
  add(...models: ExecutableProcess[]): this {
    for (const model of models) this.install(model, models);
    return this;
  }

  /** A process deployed: a new version replaces the old one's timer start events, as in Camunda 8. */
  private install(model: ExecutableProcess, deployment: ExecutableProcess[]): void {
    this.models.set(model.id, model);
    this.deployments.set(model, deployment);
    this.startTimers = [...this.startTimers.filter((t) => t.processId !== model.id), ...armStartTimers(this, model)];
  }

  /** Ids of the deployed processes, in deployment order. */
  processIds(): string[] {
    return [...this.models.keys()];
  }

  deployed(): ExecutableProcess[] {
    return [...this.models.values()];
  }

  /** The latest deployed version of process `id`. */
  latest(id: string): ExecutableProcess | undefined {
    return this.models.get(id);
  }

  /** The processes deployed together with `model` (itself among them). */
  deployedWith(model: ExecutableProcess): ExecutableProcess[] {
    return this.deployments.get(model) ?? [model];
  }

  /** Starts an instance at the none start event of `processId` (default: the first deployed process). */
  start(processId: string = this.processIds()[0], variables: Variables = {}): Instance {
    return this.begin(processId, variables);
  }

  /** Starts an instance at start event `startEventId` (a timer, message or signal start): what the I/O layer does when that event happens. */
  startAt(processId: string, startEventId: string, variables: Variables): Instance {
    return this.begin(processId, variables, startEventId);
  }

  private begin(processId: string, variables: Variables, startAt?: string): Instance {
    const model = this.models.get(processId);
    if (!model) throw new Error(`Process '${processId}' is not deployed; deployed: ${this.processIds().join(', ')}`);
    const meta = { id: `instance-${this.instances.length + 1}`, definitionKey: processId, version: 1 };
    const result = startInstance(model, meta, variables, this.context(), startAt);
    if (!result.ok) throw new Error(`${processId} did not start: ${result.rejection.message}`);
    return this.created(model, result);
  }

  private created(model: ExecutableProcess, result: Extract<StepResult, { ok: true }>): Instance {
    const instance = new Instance(this, model);
    this.instances.push(instance);
    instance.begin(result);
    return instance;
  }

  /** Starts the child a call activity of `caller` asked for, or tells the caller it could not be started. */
  private startChild(caller: Instance, child: ChildInstanceSpec): void {
    const failed = (message: string): void => void this.outbox.push({ type: 'child-start-failed', caller, child, message });
    const model = calledProcess(this, caller, child);
    if (typeof model === 'string') return failed(model);
    const result = startInstance(model, { id: child.id, definitionKey: model.id, version: 1, parent: child.parent }, child.variables, this.context());
    if (!result.ok) return failed(`${model.id} did not start: ${result.rejection.message}`);
    this.created(model, result);
  }

  /** The instance with id `id` (a parent, a child), if the world has started it. */
  instanceById(id: string): Instance | undefined {
    return this.instances.find((i) => i.state.id === id);
  }

  /** Works every job of `type` from now on with `worker`. */
  worker(type: string, worker: Worker): this {
    this.workers.set(type, worker);
    this.settle();
    return this;
  }

  context(): StepContext {
    return { now: this.now, newId: () => this.newKey('id'), actor: { id: 'conformance' } };
  }

  newKey(prefix: string): string {
    return `${prefix}-${++this.ids}`;
  }

  /** Records that wait (or start timer) `id` was opened now. */
  opened(id: string): void {
    if (!this.openOrder.has(id)) this.openOrder.set(id, this.openOrder.size);
  }

  openedAt(id: string): number {
    return this.openOrder.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Open user tasks of every instance, as `processId: name`, sorted. */
  tasks(): string[] {
    return this.instances.flatMap((i) => i.tasks().map((t) => `${i.processId}: ${t}`)).sort();
  }

  /** The one instance of `processId` (a called process, one a message or signal started); the test fails if there is not exactly one. */
  instanceOf(processId: string): Instance {
    const found = this.instances.filter((i) => i.processId === processId);
    if (found.length !== 1) throw new Error(`${found.length} instances of ${processId} (one expected); instances: ${this.instances.map((i) => i.processId).join(', ') || 'none'}`);
    return found[0];
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
    this.startTimers = JSON.parse(JSON.stringify(this.startTimers));
  }

  // ------------------------------------------------ events from outside

  /**
   * Publishes message `name` (with no correlation key unless one is given),
   * by the correlation rules of messages.ts. Camunda 7's tests deliver a
   * message to one execution: `to` says which instance must get it, and the
   * test fails if the published message went elsewhere or nowhere.
   */
  deliverMessage(name: string, options: { to?: Instance; correlationKey?: string; variables?: Variables } = {}): void {
    const { correlated, started } = publishMessage(this, { name, correlationKey: options.correlationKey, variables: options.variables });
    if (options.to && !correlated.includes(options.to)) {
      const went = correlated.map((i) => i.state.id).join(', ') || (started.length > 0 ? 'a message start event' : 'nowhere');
      throw new Error(`Message '${name}' was meant for ${options.to.state.id} (${options.to.processId}) but went to ${went}`);
    }
    if (!options.to && correlated.length + started.length === 0) throw new Error(`Message '${name}' was published and nothing waits for it`);
  }

  /** Publishes message `name` and returns the instance it started at a message start event. */
  startByMessage(name: string, variables: Variables = {}): Instance {
    const { started } = publishMessage(this, { name, variables });
    if (started.length !== 1) throw new Error(`Message '${name}' started ${started.length} instances (one expected)`);
    return started[0];
  }

  /** Broadcasts signal `name` to every waiting catch event and signal start event. */
  broadcast(name: string, variables: Variables = {}): void {
    this.outbox.push({ type: 'signal', signal: { name, signalKey: this.newKey('signal'), variables } });
    this.settle();
  }

  /** Moves the clock on by an ISO 8601 duration and fires every timer that is due. */
  advance(duration: string): void {
    const until = addDuration(this.now, duration);
    if (!until) throw new Error(`'${duration}' is no ISO 8601 duration`);
    this.now = until;
    fireDueTimers(this);
  }

  /** Open timers across all instances, and armed timer start events. */
  timers(): Timer[] {
    return timers(this);
  }

  /** Open subscriptions (message, signal) across all instances. */
  subscriptions(): Subscription[] {
    return subscriptions(this);
  }

  // ------------------------------------------------ after every step

  /**
   * Takes in what a step asked for: `log` writes, waits opened, signals for
   * the other instances, children to start (in the step's transaction: they
   * exist before anything else is delivered), children's ends and cancels;
   * then settles.
   */
  afterStep(instance: Instance, effects: Effect[]): void {
    const children: ChildInstanceSpec[] = [];
    for (const effect of effects) {
      if (effect.type === 'AUDIT' && effect.event.type === 'VARIABLES_SET') {
        const written = effect.event.payload?.variables as Variables | undefined;
        if (written && 'log' in written) this.log.push(written.log);
      }
      if (effect.type === 'OPEN_TIMER') this.opened(effect.timer.id);
      if (effect.type === 'OPEN_MESSAGE_SUBSCRIPTION' || effect.type === 'OPEN_SIGNAL_SUBSCRIPTION') this.opened(effect.subscription.id);
      if (effect.type === 'BROADCAST_SIGNAL') this.outbox.push({ type: 'signal', signal: { name: effect.name, signalKey: effect.signalKey, variables: effect.variables, thrower: instance } });
      if (effect.type === 'START_CHILD_INSTANCE') children.push(effect.child);
      if (effect.type === 'NOTIFY_PARENT') this.outbox.push({ type: 'child-ended', child: instance, parent: effect.parent, outcome: effect.outcome });
      if (effect.type === 'CANCEL_CHILD_INSTANCE') this.outbox.push({ type: 'cancel-child', childId: effect.childInstanceId });
    }
    // Every child of the step is started before the world settles: not one child's work ahead of its sibling's start.
    const settling = this.settling;
    this.settling = true;
    try {
      for (const child of children) this.startChild(instance, child);
    } finally {
      this.settling = settling;
    }
    this.settle();
  }

  /**
   * Delivers the signals thrown, then works the jobs that have a worker, until
   * neither is left. Steps taken meanwhile only add to the work: the outermost
   * call does it, in order.
   */
  private settle(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      for (let round = 0; round < SETTLE_LIMIT; round++) {
        const delivery = this.outbox.shift();
        if (delivery) {
          this.deliver(delivery);
          continue;
        }
        const job = nextWorkableJob(this.instances, this.workers);
        if (!job) return;
        const spec = jobSpec(job.instance, job.jobKey);
        job.instance.apply({ type: 'COMPLETE_JOB', jobKey: job.jobKey, variables: this.workers.get(spec.type)!(spec) });
      }
      throw new Error(`The world did not settle after ${SETTLE_LIMIT} steps: signals, children or jobs in a loop without end?`);
    } finally {
      this.settling = false;
    }
  }

  private deliver(delivery: Delivery): void {
    if (delivery.type === 'signal') return broadcastSignal(this, delivery.signal);
    if (delivery.type === 'child-start-failed') {
      const { caller, child, message } = delivery;
      if (stillWaiting(caller, child.parent, child.id)) caller.apply({ type: 'CHILD_START_FAILED', elementInstanceKey: child.parent.elementInstanceKey, childInstanceId: child.id, message });
      return;
    }
    if (delivery.type === 'cancel-child') {
      const child = this.instanceById(delivery.childId);
      if (child && !child.ended) child.cancel();
      return;
    }
    const { child, parent: link, outcome } = delivery;
    const parent = this.instanceById(link.instanceId);
    if (!parent) throw new Error(`${child.processId} (${child.state.id}) reports its end to instance ${link.instanceId}, which the world never started`);
    if (stillWaiting(parent, link, child.state.id)) parent.apply(parentCommand(child, link, outcome));
  }
}

/** Deploys one corpus file (with the test's translations) and starts its first process. */
export async function start(path: string, variables: Variables = {}, ...edits: Edit[]): Promise<Instance> {
  const world = await World.deploy({ path, edits });
  return world.start(undefined, variables);
}
