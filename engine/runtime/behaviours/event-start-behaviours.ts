import type { EventSubProcessElement } from '../../model/types.js';
import type { Behaviour } from './behaviour.js';
import { prepareMessage, prepareTimer, rearmCycle } from '../waits/waits.js';
import { startEventSubProcess } from '../event-sub-processes.js';

/**
 * Start events with an event. Where an instance begins (a process's timer or
 * message start), or where a started event sub-process begins, the token
 * passes on, with the event's variables as the start event's result.
 *
 * In an event sub-process, a timer or message start waits while the
 * enclosing scope is active: the scope opens the wait (`waitOn`, the scope
 * is the owner) and, when it happens, the event sub-process starts.
 */
export const timerStartEventBehaviour: Behaviour<'timerStartEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance, { result: run.happenedEvent(instance) ?? {} });
  },
  waitOn(run, element, scope) {
    return prepareTimer(run, element.timer, element.id, scope, element.interrupting !== false);
  },
  triggered(run, element, scope, wait) {
    if (element.interrupting === false) rearmCycle(run, wait);
    startEventSubProcess(run, run.element(element.parent) as EventSubProcessElement, scope, {});
  },
};

export const messageStartEventBehaviour: Behaviour<'messageStartEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance, { result: run.happenedEvent(instance) ?? {} });
  },
  waitOn(run, element, scope) {
    return prepareMessage(run, element.message, element.id, scope, element.interrupting !== false);
  },
  triggered(run, element, scope, _wait, variables) {
    startEventSubProcess(run, run.element(element.parent) as EventSubProcessElement, scope, variables);
  },
};

/** Error and escalation starts: error-catching.ts and escalation-catching.ts start their event sub-process. */
export const errorStartEventBehaviour: Behaviour<'errorStartEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance, { result: run.happenedEvent(instance) ?? {} });
  },
};

export const escalationStartEventBehaviour: Behaviour<'escalationStartEvent'> = {
  activate(run, _element, instance) {
    run.complete(instance, { result: run.happenedEvent(instance) ?? {} });
  },
};
