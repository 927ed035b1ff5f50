/**
 * Embedded sub-processes and call activities: EXPECTATIONS.md entries
 * 49–54, from Camunda 7's own tests. Call activities' `camunda:in` /
 * `camunda:out` mappings are translated to `zeebe:input` / `zeebe:output`
 * (harness/dialects.ts).
 */
import { describe, expect } from 'vitest';
import { expectation } from './harness/expectation.js';
import { start, World } from './harness/world.js';

const file = (name: string) => `camunda7/${name}.bpmn20.xml`;

describe('Camunda 7 corpus: sub-processes and call activities', () => {
  expectation(49, 'SubProcessTest.testSimpleSubProcess — the task runs inside subProcess; completing it ends both', async () => {
    const run = await start(file('SubProcessTest.testSimpleSubProcess'));
    expect(run.tasks()).toEqual(['Task in subprocess']);
    expect(run.parentOf('subProcessTask')).toBe('subProcess');
    expect(run.parentOf('subProcess')).toBe('simpleSubProcess');
    run.complete('Task in subprocess');
    expect(run.active()).toEqual([]);
    expect(run.status).toBe('COMPLETED');
  });

  expectation(50, 'SubProcessTest.testSimpleParallelSubProcess — fork and join inside a sub-process', async () => {
    const run = await start(file('SubProcessTest.testSimpleParallelSubProcess'));
    run.complete('Task A');
    expect(run.tasks()).toEqual(['Task B']);
    expect(run.parentOf('task2')).toBe('subProcess');
    expect(run.waitingJoins()).toEqual(['subProcessJoin']);
    run.complete('Task B');
    expect(run.active()).toEqual(['taskAfterSubProcess']);
    expect(run.tasks()).toEqual(['Task after sub process']);
  });

  expectation(51, 'SubProcessTest.testSimpleSubProcessWithTimer — at +2h the boundary timer cancels the sub-process', async () => {
    const world = await World.deploy(file('SubProcessTest.testSimpleSubProcessWithTimer'));
    const run = world.start();
    expect(run.tasks()).toEqual(['Task in subprocess']);
    world.advance('PT2H');
    expect(run.terminated('subProcessTask')).toBe(1);
    expect(run.tasks()).toEqual(['Fix escalated problem']);
  });

  expectation(52, 'SubProcessTest.testNestedSimpleSubProcess — a task two sub-processes deep; completing it ends both', async () => {
    const run = await start(file('SubProcessTest.testNestedSimpleSubProcess'));
    expect(run.parentOf('innerSubProcessTask')).toBe('innerSubProcess');
    expect(run.parentOf('innerSubProcess')).toBe('outerSubProcess');
    expect(run.parentOf('outerSubProcess')).toBe('nestedSimpleSubProcess');
    run.complete('Task in subprocess');
    expect(run.tasks()).toEqual(['Task after subprocesses']);
    run.complete('Task after subprocesses');
    expect(run.status).toBe('COMPLETED');
  });

  expectation(53, 'CallActivity.testCallSimpleSubProcess — before, in the called process, after: one task at a time', async () => {
    const world = await World.deploy(file('CallActivity.testCallSimpleSubProcess'), file('simpleSubProcess'));
    const parent = world.start('callSimpleSubProcess');
    expect(world.tasks()).toEqual(['callSimpleSubProcess: Task before subprocess']);
    parent.complete('Task before subprocess');
    expect(world.tasks()).toEqual(['simpleSubProcess: Task in subprocess']);
    world.instanceOf('simpleSubProcess').complete('Task in subprocess');
    expect(world.tasks()).toEqual(['callSimpleSubProcess: Task after subprocess']);
    parent.complete('Task after subprocess');
    expect(parent.status).toBe('COMPLETED');
  });

  // One camunda:out is written `source ="…"`; the file is loaded as it is.
  expectation(54, 'CallActivity.testSubProcessDataInputOutput — variables and expressions mapped into the called process and back', async () => {
    const world = await World.deploy(file('CallActivity.testSubProcessDataInputOutput'), file('simpleSubProcess'));
    const parent = world.start('subProcessDataInputOutput', { superVariable: 'Hello from the super process.' });
    const children = () => world.instances.filter((i) => i.processId === 'simpleSubProcess');
    expect(children()[0].variables.subVariable).toBe('Hello from the super process.');
    children()[0].complete('Task in subprocess', { subVariable: 'Hello from sub process.' });
    expect(parent.variables.superVariable).toBe('Hello from sub process.');
    parent.complete('Task in super process', { x: 5 });
    expect(children()[1].variables.y).toBe(10);
    children()[1].complete('Task in subprocess');
    expect(parent.variables.z).toBe(15);
  });
});
