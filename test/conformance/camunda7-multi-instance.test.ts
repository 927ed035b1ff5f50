/**
 * Multi-instance activities and receive tasks: EXPECTATIONS.md entries
 * 55–59, from Camunda 7's own tests. Camunda 7 evaluates `${loopCounter}` in
 * task names; BPMN names are labels, so the tests count tasks rather than
 * read their names.
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { start } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: multi-instance and receive tasks', () => {
  // Camunda 7 counts loopCounter from 0, Zeebe from 1: the test asks for three consecutive counters, whichever the base.
  expectation(55, 'MultiInstanceTest.sequentialUserTasks — one "My Task" at a time, assigned kermit_<loopCounter>, three in all', async () => {
    const run = await start(file('MultiInstanceTest.sequentialUserTasks'), { nrOfLoops: 3 });
    const assignees: string[] = [];
    for (let i = 0; i < 3; i++) {
      const open = run.taskList();
      expect(open.map((t) => t.elementId)).toEqual(['miTasks']);
      assignees.push(open[0].assignee ?? '');
      run.complete('miTasks');
    }
    const first = Number(/^kermit_(\d+)$/.exec(assignees[0])?.[1]);
    expect(assignees).toEqual([0, 1, 2].map((i) => `kermit_${first + i}`));
    expect(run.status).toBe('COMPLETED');
  });

  expectation(56, 'MultiInstanceTest.testParallelUserTasks — cardinality 5-2 gives 3 parallel tasks; the process ends after the third', async () => {
    const run = await start(file('MultiInstanceTest.testParallelUserTasks'));
    for (const left of [3, 2, 1]) {
      expect(run.taskElements()).toEqual(Array(left).fill('miTasks'));
      run.complete('miTasks');
    }
    expect(run.status).toBe('COMPLETED');
  });

  expectation(57, 'MultiInstanceTest.testParallelUserTasksBasedOnCollection — one task per assignee; 3 of 5 completed ends it', async () => {
    const assigneeList = ['kermit', 'gonzo', 'mispiggy', 'fozzie', 'bubba'];
    const run = await start(file('MultiInstanceTest.testParallelUserTasksBasedOnCollection'), { assigneeList });
    expect(run.taskList().map((t) => t.assignee).sort()).toEqual([...assigneeList].sort());
    for (let i = 0; i < 3; i++) run.complete('miTasks');
    expect(run.tasks()).toEqual([]);
    expect(run.status).toBe('COMPLETED');
  });

  expectation(58, 'MultiInstanceTest.testParallelUserTasksCompletionCondition — 5 tasks; the process ends right after the third completion', async () => {
    const run = await start(file('MultiInstanceTest.testParallelUserTasksCompletionCondition'));
    expect(run.taskElements()).toEqual(Array(5).fill('miTasks'));
    run.complete('miTasks');
    run.complete('miTasks');
    expect(run.ended).toBe(false);
    run.complete('miTasks');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(59, 'ReceiveTaskTest.testWaitStateBehavior — the process waits at waitState until it is triggered', async () => {
    const run = await start(file('ReceiveTaskTest.testWaitStateBehavior'));
    expect(run.active()).toEqual(['waitState']);
    run.trigger('waitState');
    expect(run.status).toBe('COMPLETED');
  });
});
