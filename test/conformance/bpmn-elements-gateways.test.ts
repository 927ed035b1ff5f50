/**
 * Flows and gateways: EXPECTATIONS.md entries 65, 67–69, 71 and 76, from
 * paed01/bpmn-elements' feature tests. `${environment.variables.x}` is read
 * as the FEEL name `x` (harness/dialects.ts); JavaScript is translated where
 * a test says so.
 *
 * bpmn-elements passes "discarded" (not taken) paths on, so its parallel
 * joins fire with only some inputs taken. Entries marked [engine-specific]
 * are tested for strict BPMN 2.0 token semantics instead: a parallel join
 * waits for a token on every incoming flow.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { compileCorpusFile, start, World } from './harness/world.js';
import { condition, script } from './harness/xml-edits.js';

const file = (name: string) => `bpmn-elements/${name}.bpmn`;

describe('bpmn-elements corpus: flows and gateways', () => {
  // Translated: cond-to-task4's JavaScript `next(null, environment.variables.take4)` is the FEEL `take4`.
  expectation(65, 'conditional-flows — conditional flows out of task1 and its default: exactly one of task2, task4, task3', async () => {
    const cases = [
      [{ take2: true, take4: false }, 'task2'],
      [{ take2: false, take4: true }, 'task4'],
      [{ take2: false, take4: false }, 'task3'],
    ] as const;
    for (const [variables, only] of cases) {
      const run = await start(file('conditional-flows'), variables, condition('cond-to-task4', 'take4'));
      expect(['task2', 'task3', 'task4'].filter((t) => run.taken(t) > 0)).toEqual([only]);
      expect(run.status).toBe('COMPLETED');
    }
  });

  // [engine-specific] strict BPMN: the event that fires first wins; the join then waits for the branch that was never taken.
  expectation(67, 'event-based-gateway — [engine-specific, strict BPMN] the signal or the timer wins, and the parallel join waits forever', async () => {
    // the signal arrives first
    const a = await World.deploy(file('event-based-gateway'));
    const signalled = a.start();
    a.broadcast('signalEvent');
    expect(signalled.taken('signalEvent')).toBe(1);
    expect(signalled.taken('timerEvent')).toBe(0);
    expect(a.timers()).toEqual([]);
    expect(signalled.waitingJoins()).toEqual(['join']);
    expect(signalled.status).toBe('ACTIVE');
    // the timer fires first
    const b = await World.deploy(file('event-based-gateway'));
    const timed = b.start();
    b.advance('PT1M');
    expect(timed.taken('timerEvent')).toBe(1);
    expect(timed.taken('signalEvent')).toBe(0);
    expect(b.subscriptions()).toEqual([]);
    expect(timed.waitingJoins()).toEqual(['join']);
    expect(timed.status).toBe('ACTIVE');
  });

  expectation(68, 'event-based-gateway-with-same-target — two flows to one signal catch activate it once; either event completes the run', async () => {
    const a = await World.deploy(file('event-based-gateway-with-same-target'));
    const signalled = a.start();
    a.broadcast('signalEvent');
    expect(signalled.taken('signalEvent')).toBe(1);
    expect(signalled.taken('Task_1pfzr39')).toBe(1);
    expect(signalled.status).toBe('COMPLETED');
    const b = await World.deploy(file('event-based-gateway-with-same-target'));
    const timed = b.start();
    b.advance('PT1H');
    expect(timed.taken('timerEvent')).toBe(1);
    expect(timed.taken('signalEvent')).toBe(0);
    expect(timed.taken('Task_1pfzr39')).toBe(1);
    expect(timed.status).toBe('COMPLETED');
  });

  // Translated: the script (`count` 0 on the first run, then +1) is FEEL; the condition `${environment.output.count}` is JavaScript
  // truthiness of a number. Until the variable exists, the FEEL name `count` is the built-in function, hence `instance of number`.
  expectation(69, 'exclusive-gateway-as-join — XOR merges in a loop: the run completes, reaching end twice (derived counts)', async () => {
    const translated = [script('script', 'if count instance of number then count + 1 else 0', 'count'), condition('to-task1', 'count instance of number and count != 0')];
    const run = await start(file('exclusive-gateway-as-join'), {}, ...translated);
    expect(run.status).toBe('COMPLETED');
    expect(run.taken('script')).toBe(2);
    expect(run.taken('task2')).toBe(1);
    expect(run.taken('task1')).toBe(1);
    expect(run.taken('end')).toBe(2);
    expect(run.taken('loopback-end')).toBe(0);
  });

  // [engine-specific] A boundary event needs a trigger: BPMN 2.0 (§10.5.4) has no "none" boundary event, so strict BPMN refuses
  // bound-task3 at deploy. (Were it accepted, the parallel join would wait for ever: only from-task4 carries tokens.)
  expectation(71, 'join-inbound — [engine-specific, strict BPMN] refused at deploy: bound-task3 is a boundary event without a trigger', async () => {
    const { problems } = await compileCorpusFile(file('join-inbound'));
    expect(problems.map((p) => p.elementId)).toEqual(['bound-task3']);
    expect(problems[0].message).toMatch(/boundary/i);
  });

  // [engine-specific] strict BPMN: the default toJoin2 is not taken, so `join` waits for it for ever.
  expectation(76, 'parallel-join-edgecase — [engine-specific, strict BPMN] the join never gets its second token: the run waits at join', async () => {
    const run = await start(file('parallel-join-edgecase'));
    expect(run.taken('task')).toBe(1);
    expect(run.waitingJoins()).toEqual(['join']);
    expect(run.taken('end')).toBe(0);
    expect(run.status).toBe('ACTIVE');
  });
});
