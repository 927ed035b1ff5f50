import type { ElementKind, ElementOfKind } from '../../model/types.js';
import type { ElementInstance, JobResult, Variables, WaitRecord } from '../types.js';
import type { Run } from '../run.js';
import type { PreparedWait } from '../waits/waits.js';

/**
 * The lifecycle every element kind implements. The shell in run.ts does the
 * shared mechanics (input/output mappings, state transitions, audit, taking
 * flows, scope completion); a behaviour only says what is particular to its
 * kind.
 */
export interface Behaviour<K extends ElementKind> {
  /**
   * A token has arrived and input mappings are applied; the instance is ACTIVE.
   * Either complete it now (`run.complete`), or create what it waits on
   * (a job, a task, child tokens) and return.
   */
  activate(run: Run, element: ElementOfKind<K>, instance: ElementInstance): void;

  /**
   * Optional: take over token arrival, for joining gateways. Called with the
   * enclosing scope instance and the flow the token came by; the behaviour
   * records the arrival and calls `run.activateElement` when the join fires.
   * Without it, every arrival activates a new instance.
   */
  arrive?(run: Run, element: ElementOfKind<K>, scope: ElementInstance, flowId: string | undefined): void;

  /**
   * Optional: called when the engine is idle (no token in flight) for each
   * scope holding arrivals at this element; an inclusive join decides there
   * whether more tokens can still come.
   */
  idle?(run: Run, element: ElementOfKind<K>, scope: ElementInstance): boolean;

  /** Optional: release what the instance holds (cancel its job or task). Children of containers are terminated by the shell first. */
  terminate?(run: Run, element: ElementOfKind<K>, instance: ElementInstance): void;

  /**
   * Optional: the job this element waits on was completed with `variables`
   * (and the worker's `result`, checked by the step before: only an ad-hoc
   * sub-process's job has one). Without it, the element completes with the
   * variables as its result.
   */
  jobCompleted?(run: Run, element: ElementOfKind<K>, instance: ElementInstance, variables: Variables, result?: JobResult): void;

  /** Containers only, optional: `child` (directly inside) completed with `result`, before its token moves on. */
  childCompleted?(run: Run, element: ElementOfKind<K>, instance: ElementInstance, child: ElementInstance, result: Variables): void;

  /**
   * Boundary events that wait (timer, message), optional: the wait to open on
   * `host`, which has just become active. Evaluated before the host's own
   * activation runs, so a failure (an incident on the host, retried by
   * re-running its activation) leaves nothing half-created.
   */
  waitOn?(run: Run, element: ElementOfKind<K>, host: ElementInstance): PreparedWait;

  /**
   * Optional: a wait this element opened has happened — its timer is due or
   * its message was correlated (with `variables`). `owner` holds the wait:
   * the element's own instance, or for a boundary event the host activity.
   * The wait is already taken off the instance.
   */
  triggered?(run: Run, element: ElementOfKind<K>, owner: ElementInstance, wait: WaitRecord, variables: Variables): void;

  /**
   * Optional, for elements that wait on behalf of others (an event-based
   * gateway opens the waits of the catch events after it): a wait it holds
   * for another element (`wait.elementId`) has happened.
   */
  waitTriggered?(run: Run, element: ElementOfKind<K>, instance: ElementInstance, wait: WaitRecord, variables: Variables): void;

  /**
   * Optional: a plain wait state (a receive task without a message) is
   * continued by the TRIGGER command, with `variables` as its result.
   */
  trigger?(run: Run, element: ElementOfKind<K>, instance: ElementInstance, variables: Variables): void;

  /** Optional: the compensation handlers this element (a compensation throw, a cancel end) waited for have all finished. */
  compensated?(run: Run, element: ElementOfKind<K>, instance: ElementInstance): void;

  /** Containers only: the last token inside has ended. */
  scopeEmpty?(run: Run, element: ElementOfKind<K>, instance: ElementInstance): void;
}

export type BehaviourRegistry = { [K in ElementKind]: Behaviour<K> };
