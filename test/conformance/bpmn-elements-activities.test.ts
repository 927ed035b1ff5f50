/**
 * Activities: EXPECTATIONS.md entries 60, 62, 63, 74, 75, 79 and 80, from
 * paed01/bpmn-elements' feature tests. Manual tasks become user tasks and
 * `${environment.services.fn}` service tasks jobs of type `service:fn`
 * (harness/dialects.ts); JavaScript is translated where a test says so.
 */
import type { Variables } from '../../engine/runtime/types.js';
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { start, World } from './harness/world.js';
import { condition, extension, output, script } from './harness/xml-edits.js';

const file = (name: string) => `bpmn-elements/${name}.bpmn`;

/**
 * The JavaScript loop-back condition reads `loopback` and resets it to false.
 * FEEL cannot write a variable, so the reset is an output mapping on the
 * gateway, which applies after its conditions are read.
 */
const loopbackOnce = [condition('backto-task', 'loopback = true'), output('gw', 'false', 'loopback')];

describe('bpmn-elements corpus: activities', () => {
  // bpmn-elements runs every activity without an incoming flow once. Weft's ad-hoc sub-process asks an agent what to run:
  // the harness adds the agent header and plays an agent that chooses every such activity in its first turn and is then done.
  // The order asked for is the one BPMN fixes: each activity before its successor, all inside before adhoc, adhoc before end.
  expectation(60, 'ad-hoc-subprocess — every inner activity runs once, then the ad-hoc sub-process completes', async () => {
    const world = await World.deploy({ path: file('ad-hoc-subprocess'), edits: [extension('adhoc', '<zeebe:taskHeaders><zeebe:header key="agent" value="conformance"/></zeebe:taskHeaders>')] });
    world.worker('agent', (job) => {
      const turn = job.variables.weftAdHoc as { turn: number; activities: { elementId: string }[] };
      return turn.turn === 0 ? { adHocActivate: turn.activities.map((a) => ({ elementId: a.elementId })) } : { adHocDone: true };
    });
    const run = world.start();
    expect(run.status).toBe('COMPLETED');
    const order = run.completed();
    for (const id of ['start', 'task1', 'throw', 'task2', 'task3', 'adhoc', 'end']) expect(run.taken(id)).toBe(1);
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('start', 'task1');
    before('task1', 'throw');
    before('task2', 'task3');
    for (const inner of ['throw', 'task3']) before(inner, 'adhoc');
    before('adhoc', 'end');
  });

  // The called process lives in the same file and is not marked executable.
  expectation(62, 'call-activity — the call activity runs called-process (one task) and the run completes', async () => {
    const world = await World.deploy(file('call-activity'));
    const run = world.start('Process_1');
    expect(run.taken('call-activity')).toBe(1);
    expect(run.status).toBe('COMPLETED');
    const called = world.instances.filter((i) => i.processId === 'called-process');
    expect(called.map((i) => [i.taken('task'), i.status])).toEqual([[1, 'COMPLETED']]);
  });

  // bpmn-elements can also cancel the call activity alone through its API and go on; Weft (as BPMN) has no command that
  // ends one activity and takes its outgoing flow, so only the signalled half is asked for.
  expectation(63, 'call-activity-signal — completing the called process\'s waiting task lets the main process reach end', async () => {
    const world = await World.deploy(file('call-activity-signal'));
    const run = world.start('Process_1');
    const called = world.instanceOf('called-process');
    expect(called.taskElements()).toEqual(['task']);
    called.complete('task');
    expect(called.status).toBe('COMPLETED');
    expect(run.taken('end')).toBe(1);
    expect(run.status).toBe('COMPLETED');
  });

  // Translated: subscript's JavaScript returns the iteration's index: the FEEL `loopCounter`. `gw` is reached once per pass of sub.
  expectation(74, 'misp-loopback — sequential multi-instance sub-processes, looped back once: sub runs twice per run, 4 in two runs', async () => {
    const edits = [...loopbackOnce, script('subscript', 'loopCounter', 'index')];
    const world = await World.deploy({ path: file('misp-loopback'), edits });
    const variables: Variables = { cardinality: 10, loopback: true };
    const runs = [world.start(undefined, variables), world.start(undefined, variables)];
    for (const run of runs) {
      expect(run.status).toBe('COMPLETED');
      expect(run.taken('gw')).toBe(2);
      expect(run.taken('subscript')).toBe(2 * 10 * 5);
    }
    expect(runs.reduce((n, run) => n + run.taken('gw'), 0)).toBe(4);
  });

  expectation(75, 'misp-parallel-loopback — 10 concurrent iterations of sub, each a user task; looped back once, sub runs twice', async () => {
    const run = await start(file('misp-parallel-loopback'), { cardinality: 10, loopback: true }, ...loopbackOnce);
    for (let pass = 0; pass < 2; pass++) {
      expect(run.taskElements()).toEqual(Array(10).fill('user'));
      for (let i = 0; i < 10; i++) run.complete('user');
    }
    expect(run.taken('gw')).toBe(2);
    expect(run.status).toBe('COMPLETED');
  });

  // Translated: `compare(areUSure, "Yes")` is the FEEL `areUSure = "Yes"` (and "abort"). The compensation handler's job is left
  // waiting (no worker) until the test completes it: the callback.
  expectation(79, 'transaction — No: compensate, then the cancel boundary; Yes: completes; abort: the error boundary, no compensation', async () => {
    const edits = [condition('yesFlow', 'areUSure = "Yes"'), condition('errorFlow', 'areUSure = "abort"')];
    const deploy = () => World.deploy({ path: file('transaction'), edits });

    const no = (await deploy()).start();
    no.complete('areUSure', { areUSure: 'No' });
    expect(no.active()).toEqual(expect.arrayContaining(['atomic', 'compensateTask']));
    expect(no.taken('cancelled')).toBe(0);
    no.trigger('compensateTask');
    expect(no.taken('cancelled')).toBe(1);
    expect(no.taken('atomic')).toBe(0);
    expect(no.taken('endCancelled')).toBe(1);
    expect(no.status).toBe('COMPLETED');

    const yes = (await deploy()).start();
    yes.complete('areUSure', { areUSure: 'Yes' });
    expect(yes.taken('atomic')).toBe(1);
    expect(yes.taken('cancelled')).toBe(0);
    expect(yes.taken('end')).toBe(1);
    expect(yes.status).toBe('COMPLETED');

    const abort = (await deploy()).start();
    abort.complete('areUSure', { areUSure: 'abort' });
    expect(abort.taken('compensateTask')).toBe(0);
    expect(abort.taken('errored')).toBe(1);
    expect(abort.taken('atomic')).toBe(0);
    expect(abort.taken('endErrored')).toBe(1);
    expect(abort.status).toBe('COMPLETED');
  });

  // bpmn-elements runs one process after the other; the order is its own, so only that each runs to completion is asked.
  expectation(80, 'two-executable-processes — both processes of the definition deploy and run to completion', async () => {
    const world = await World.deploy(file('two-executable-processes'));
    expect(world.processIds()).toEqual(['Process_1', 'Process_2']);
    const [first, second] = [world.start('Process_1'), world.start('Process_2')];
    expect([first.taken('Task_1'), first.status]).toEqual([1, 'COMPLETED']);
    expect([second.taken('Task_2'), second.status]).toEqual([1, 'COMPLETED']);
  });
});
