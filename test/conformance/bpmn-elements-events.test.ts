/**
 * Events: EXPECTATIONS.md entries 61, 64, 66, 70, 72, 73, 77 and 78, from
 * paed01/bpmn-elements' feature tests. Its manual tasks wait until signalled;
 * the harness makes them user tasks (harness/dialects.ts). JavaScript is
 * translated where a test says so. A `log("x")` service call becomes a FEEL
 * script writing "x" to the variable `log`, which the harness collects in
 * order (World.log).
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { World } from './harness/world.js';
import { childBody, condition, script } from './harness/xml-edits.js';

const file = (name: string) => `bpmn-elements/${name}.bpmn`;

describe('bpmn-elements corpus: events', () => {
  // Translated: the host service `isAbove(10, amount)` is the FEEL `amount > 10`.
  expectation(61, 'bpmn-error — the error end inside orderProcess is caught by catchError; the run ends at endWithSignal', async () => {
    const world = await World.deploy({ path: file('bpmn-error'), edits: [condition('toEscalate', 'amount > 10')] });
    const run = world.start();
    run.complete('order', { amount: 11 });
    expect(run.taken('catchError')).toBe(1);
    expect(run.terminated('orderProcess')).toBe(1);
    expect(run.taken('orderProcess')).toBe(0);
    expect(run.taken('endWithSignal')).toBe(1);
    expect(run.status).toBe('COMPLETED');
  });

  // Translated: the JavaScript condition (true when the signal's type is 'signal') is a FEEL condition on the variable the file
  // names (camunda:variableName="input"): `input = "signal"`; "signal cond" is setting that variable.
  expectation(64, 'conditional-bound-js-event — the condition coming true takes cond; completing task instead discards it', async () => {
    const edits = [childBody('cond', 'condition', 'input = "signal"')];
    const a = await World.deploy({ path: file('conditional-bound-js-event'), edits });
    const met = a.start();
    met.setVariables({ input: 'signal' });
    expect(met.taken('cond')).toBe(1);
    expect(met.terminated('task')).toBe(1);
    expect(met.taken('end-cond')).toBe(1);
    expect(met.status).toBe('COMPLETED');
    const b = await World.deploy({ path: file('conditional-bound-js-event'), edits });
    const done = b.start();
    done.complete('task');
    expect(done.taken('cond')).toBe(0);
    expect(done.taken('end')).toBe(1);
    expect(done.status).toBe('COMPLETED');
  });

  // Translated: the host service `isAbove(10, amount)` is the FEEL `amount > 10`.
  expectation(66, 'escalation — the non-interrupting boundary catches the escalation; orderProcess still runs to orderEnd', async () => {
    const world = await World.deploy({ path: file('escalation'), edits: [condition('toEscalate', 'amount > 10')] });
    const run = world.start();
    run.complete('order', { amount: 11 });
    expect(run.taken('escalated')).toBe(1);
    expect(run.taken('endWithSignal')).toBe(1);
    expect(run.taken('orderEnd')).toBe(1);
    expect(run.taken('orderProcess')).toBe(1);
    expect(run.status).toBe('COMPLETED');
  });

  // [engine-specific] strict BPMN: a signal start event of a top-level process starts a NEW instance; the throwing instance ends on its own.
  expectation(70, 'issue-3 — [engine-specific, strict BPMN] the thrown signal starts a second instance at "Catch"; log task1, task2', async () => {
    const edits = [script('Task_1eq3n1s', '"task1"', 'log'), script('Task_1ldwx43', '"task2"', 'log')];
    const world = await World.deploy({ path: file('issue-3'), edits });
    const first = world.start();
    expect(first.status).toBe('COMPLETED');
    expect(first.taken('Task_1eq3n1s')).toBe(1);
    expect(first.taken('Task_1ldwx43')).toBe(0);
    expect(world.instances).toHaveLength(2);
    const second = world.instances[1];
    expect(second.taken('IntermediateThrowEvent_023keng')).toBe(1);
    expect(second.taken('Task_1ldwx43')).toBe(1);
    expect(second.status).toBe('COMPLETED');
    expect(world.log).toEqual(['task1', 'task2']);
  });

  expectation(72, 'link-event — the link "LINKA" leads from task1 to task2; the run completes at once', async () => {
    const edits = [script('task1', '"task1"', 'log'), script('task2', '"task2"', 'log')];
    const world = await World.deploy({ path: file('link-event'), edits });
    const run = world.start();
    expect(run.status).toBe('COMPLETED');
    expect(world.log).toEqual(['task1', 'task2']);
  });

  expectation(73, 'messageflow-target-process — the message flow from the throw event starts Process_2 once; both complete', async () => {
    const world = await World.deploy(file('messageflow-target-process'));
    const run = world.start('Process_1');
    expect(run.status).toBe('COMPLETED');
    const started = world.instances.filter((i) => i.processId === 'Process_2');
    expect(started.map((i) => i.status)).toEqual(['COMPLETED']);
  });

  // The data store the test supplies is `price`; the worker of getSpotPrice reads it, Approve's completion writes it.
  expectation(77, 'signals — "Update spot price" starts Approve; its "Spot price updated" interrupts Trade, which is fetched again at 99', async () => {
    let price = 100;
    const world = await World.deploy(file('signals'));
    world.worker('service:getSpotPrice', () => ({ spotPrice: price }));
    const trade = world.start('tradeProcess');
    expect(trade.tasks()).toEqual(['Trade']);
    expect(trade.variables.spotPrice).toBe(100);
    world.broadcast('Update spot price');
    const admin = world.instanceOf('spotPriceProcess');
    expect(admin.tasks()).toEqual(['Approve']);
    price = 99;
    admin.complete('Approve', { newPrice: 99 });
    expect(trade.terminated('tradeTask')).toBe(1);
    expect(trade.taken('catchSpotUpdate')).toBe(1);
    expect(trade.taken('getSpotPrice')).toBe(2);
    expect(trade.variables.spotPrice).toBe(99);
    expect(trade.tasks()).toEqual(['Trade']);
    trade.complete('Trade');
    expect(trade.status).toBe('COMPLETED');
    expect(admin.status).toBe('COMPLETED');
  });

  // catchDate comes with the completion of `task` (an instance started by a timer has no start variables).
  expectation(78, 'timers — cycle start, non-interrupting duration, date catch: each wait point holds its timer, also after a restart', async () => {
    const world = await World.deploy(file('timers'));
    const timerIds = () => world.timers().map((t) => t.elementId).sort();
    const survivesRestart = () => {
      const before = world.timers();
      world.recover();
      expect(world.timers()).toEqual(before);
    };
    expect(timerIds()).toEqual(['start-cycle']);
    expect(world.instances).toEqual([]);
    survivesRestart();
    world.advance('PT10H');
    const run = world.instanceOf('Process_0cn5rdh');
    expect(run.taskElements()).toEqual(['task']);
    expect(timerIds()).toEqual(['bound-duration', 'start-cycle']);
    survivesRestart();
    run.complete('task', { catchDate: '1993-06-26T10:33:00Z' });
    expect(world.timers().find((t) => t.elementId === 'catch-date')?.dueAt).toBe('1993-06-26T10:33:00.000Z');
    survivesRestart();
    world.advance('PT0S');
    expect(run.taskElements()).toEqual(['user-due']);
    survivesRestart();
    run.complete('user-due');
    expect(run.status).toBe('COMPLETED');
  });
});
