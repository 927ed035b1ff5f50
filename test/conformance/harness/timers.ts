/**
 * Timers, as Weft's I/O layer runs them: a timer start event is armed when
 * its process is deployed (armTimer, with no variables) and starts an
 * instance there when due, again on each occurrence of a cycle; a timer an
 * instance waits on (state.waits) is fired with FIRE_TIMER. Moving the clock
 * fires everything due by then, the earliest first, repeatedly: a fired
 * timer may arm another that is due already (PT0S, a date in the past, the
 * next occurrence of a cycle).
 */
import type { ExecutableProcess } from '../../../engine/model/types.js';
import type { TimerRepeat } from '../../../engine/runtime/types.js';
import { armTimer, nextOccurrence } from '../../../engine/runtime/waits/timer-schedule.js';
import { eventStartsOf } from './event-starts.js';
import { openWaits, stillOpen, type OpenWait } from './waits.js';
import type { World } from './world.js';

/** An armed timer start event. */
export interface StartTimer {
  id: string;
  processId: string;
  elementId: string;
  dueAt: string;
  repeat?: TimerRepeat;
}

/** More firings than this in one move of the clock is a cycle without end. */
const FIRINGS_LIMIT = 1000;

/** The timer start events of a process, armed at `now` (deploying it); one that cannot be armed refuses the deployment. */
export function armStartTimers(world: World, model: ExecutableProcess): StartTimer[] {
  return eventStartsOf(model, 'timerStartEvent').map((start) => {
    const armed = armTimer(start.timer, {}, world.now);
    if (!armed.ok) throw new Error(`${model.id} does not deploy: the timer of start event '${start.id}' cannot be armed: ${armed.message}`);
    const timer: StartTimer = { id: world.newKey('start-timer'), processId: model.id, elementId: start.id, dueAt: armed.dueAt };
    if (armed.repeat) timer.repeat = armed.repeat;
    world.opened(timer.id);
    return timer;
  });
}

/** Fires every timer due at the world's clock, earliest first (those due at once: in the order they were armed). */
export function fireDueTimers(world: World): void {
  for (let fired = 0; ; fired++) {
    const next = nextDue(world);
    if (!next) return;
    if (fired === FIRINGS_LIMIT) throw new Error(`More than ${FIRINGS_LIMIT} timers fired by one move of the clock: a timer cycle without end?`);
    if ('wait' in next) next.instance.apply({ type: 'FIRE_TIMER', timerId: next.wait.id });
    else fireStartTimer(world, next);
  }
}

function nextDue(world: World): OpenWait | StartTimer | undefined {
  const now = Date.parse(world.now);
  const due = [...openWaits(world, 'timer').filter(stillOpen), ...world.startTimers]
    .map((timer) => ({ timer, dueAt: Date.parse('wait' in timer ? timer.wait.dueAt! : timer.dueAt), armed: world.openedAt('wait' in timer ? timer.wait.id : timer.id) }))
    .filter((t) => t.dueAt <= now)
    .sort((a, b) => a.dueAt - b.dueAt || a.armed - b.armed);
  return due[0]?.timer;
}

/** Starts an instance at the timer start event and arms its next occurrence, if the cycle goes on. */
function fireStartTimer(world: World, timer: StartTimer): void {
  const next = timer.repeat ? nextOccurrence(timer.repeat, timer.dueAt, timer.dueAt) : null;
  const rest = world.startTimers.filter((t) => t !== timer);
  if (next) {
    const again: StartTimer = { ...timer, id: world.newKey('start-timer'), dueAt: next.dueAt, repeat: next.repeat };
    world.opened(again.id);
    rest.push(again);
  }
  world.startTimers = rest;
  world.startAt(timer.processId, timer.elementId, {});
}
