import { describe, expect, it } from 'vitest';
import { Task } from '@a2a-js/sdk';
import { parseInputs } from '../../../connectors/a2a/a2a-inputs.js';
import { taskResult } from '../../../connectors/a2a/a2a-result.js';

describe('the a2a job inputs', () => {
  it('take the connection from a variable or the task header, and default the result variable and poll interval', () => {
    expect(parseInputs({ message: 'check acme', data: { supplier: 'acme' } }, { connection: 'suppliers' })).toEqual({
      inputs: { connection: 'suppliers', message: 'check acme', data: { supplier: 'acme' }, resultVariable: 'a2aResult', pollIntervalMs: 5000 },
    });
    expect(parseInputs({ connection: 'other', message: 'hi' }, { connection: 'suppliers', resultVariable: 'check', pollIntervalMs: '250' })).toEqual({
      inputs: { connection: 'other', message: 'hi', data: undefined, resultVariable: 'check', pollIntervalMs: 250 },
    });
  });

  it('name the field that is wrong', () => {
    expect(parseInputs({ message: 'hi' }, {})).toEqual({ problem: "a2a task: input 'connection' must name an A2A connection the administrator configured" });
    expect(parseInputs({ connection: 'c', message: 42 }, {})).toEqual({ problem: "a2a task: input 'message' must be text (the task for the remote agent)" });
    expect(parseInputs({ connection: 'c', message: 'hi', data: [1] }, {})).toEqual({ problem: "a2a task: input 'data' must be an object (sent as a data part)" });
    expect(parseInputs({ connection: 'c', message: 'hi' }, { resultVariable: 'not a name' })).toEqual({ problem: "a2a task: task header 'resultVariable' must be a variable name" });
  });
});

describe('the a2a result', () => {
  it('holds the status, the artifacts in the protocol JSON form, and their text', () => {
    const task = Task.fromJSON({
      id: 't1',
      contextId: 'c1',
      status: { state: 'TASK_STATE_COMPLETED' },
      artifacts: [{ artifactId: 'a', name: 'answer', parts: [{ text: 'ok' }, { data: { n: 1 } }] }, { artifactId: 'b', parts: [{ text: 'more' }] }],
    });
    expect(taskResult(task)).toEqual({
      status: 'completed',
      taskId: 't1',
      contextId: 'c1',
      artifacts: [
        { name: 'answer', parts: [{ text: 'ok' }, { data: { n: 1 } }] },
        { name: 'b', parts: [{ text: 'more' }] },
      ],
      text: 'ok\nmore',
    });
  });
});
