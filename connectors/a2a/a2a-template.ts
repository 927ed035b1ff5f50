/**
 * The `a2a` task's element template, so the modeler offers it with a form.
 * The a2a worker is its own (it waits for the remote task across attempts,
 * a2a-worker.ts), so only its template is built with the connector SDK.
 */
import { z } from 'zod';
import { defineConnector } from '../sdk/define-connector.js';
import { DEFAULT_RESULT_VARIABLE } from './a2a-inputs.js';

export const a2aTemplate = defineConnector({
  type: 'a2a',
  name: 'A2A agent',
  version: 1,
  description: 'Hands a task to a remote agent (Agent2Agent) named by a connection, waits for it and maps its artifacts to a variable',
  templateId: 'io.weft.connectors.a2a',
  inputs: z.object({ connection: z.string(), message: z.string(), data: z.unknown().optional() }),
  groups: [
    { id: 'agent', label: 'Remote agent' },
    { id: 'task', label: 'Task' },
    { id: 'output', label: 'Output' },
  ],
  fields: {
    connection: { label: 'Connection', description: 'The name of an A2A connection in the server configuration (WEFT_CONNECTIONS)', group: 'agent' },
    message: { label: 'Message', description: 'What the remote agent is asked to do', group: 'task', type: 'Text', feel: 'optional' },
    data: { label: 'Data', description: 'A FEEL context sent as a data part', group: 'task', feel: 'required', optional: true },
    resultVariable: { label: 'Result variable', group: 'output', binding: 'header', value: DEFAULT_RESULT_VARIABLE },
  },
  run() {
    throw new Error('the a2a task is run by connectors/a2a/a2a-worker.ts');
  },
});
