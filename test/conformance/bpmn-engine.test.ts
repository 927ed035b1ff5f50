/**
 * EXPECTATIONS.md entries 81–82, from paed01/bpmn-engine's issue tests. Both
 * are [engine-specific]: bpmn-engine lets a parallel join fire on a path it
 * discarded. They are tested for strict BPMN 2.0 token semantics: the join
 * waits for a token on every incoming flow, so the instance stays active.
 * Manual tasks, which bpmn-engine makes wait, are user tasks here
 * (harness/dialects.ts).
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { World } from './harness/world.js';

const file = (name: string) => `bpmn-engine/${name}.bpmn`;

describe('bpmn-engine corpus', () => {
  expectation(81, 'one-or-the-other — [engine-specific, strict BPMN] the signal interrupts the other task; the join waits for it forever', async () => {
    for (const [done, other] of [['task1', 'task2'], ['task2', 'task1']]) {
      const world = await World.deploy(file('one-or-the-other'));
      const run = world.start();
      expect(run.taskElements()).toEqual(['task1', 'task2']);
      run.complete(done);
      expect(run.terminated(other)).toBe(1);
      expect(run.tasks()).toEqual([]);
      expect(run.waitingJoins()).toEqual(['Gateway_1x31zun']);
      expect(run.taken('Event_1arkwr4')).toBe(0);
      expect(run.status).toBe('ACTIVE');
    }
  });

  expectation(82, 'boundary-timeout — [engine-specific, strict BPMN] task or timer: one input of the parallel join, which waits forever', async () => {
    // the task is completed first: the timer goes
    const a = await World.deploy(file('boundary-timeout'));
    const completed = a.start();
    completed.complete('userTask');
    expect(a.timers()).toEqual([]);
    expect(completed.waitingJoins()).toEqual(['join']);
    expect(completed.status).toBe('ACTIVE');
    // the timer fires first: the task goes
    const b = await World.deploy(file('boundary-timeout'));
    const timedOut = b.start();
    b.advance('PT0.1S');
    expect(timedOut.terminated('userTask')).toBe(1);
    expect(timedOut.waitingJoins()).toEqual(['join']);
    expect(timedOut.status).toBe('ACTIVE');
  });
});
