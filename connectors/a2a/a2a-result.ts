/**
 * What a remote task becomes in the process: one variable (task header
 * `resultVariable`, default `a2aResult`) holding
 * `{status, taskId, contextId, artifacts: [{name, parts}], text}`, the parts
 * in the protocol's JSON form (`{text}`, `{data}`, `{url, mediaType}`), and
 * `text` every text part of the artifacts joined (else the status message's).
 */
import { Part, type Message, type Task } from '@a2a-js/sdk';
import { stateName, type A2aState } from './task-states.js';

export interface A2aResult {
  status: A2aState;
  taskId: string | null;
  contextId: string | null;
  artifacts: { name: string; parts: unknown[] }[];
  text: string;
}

const textOf = (parts: readonly Part[]) =>
  parts
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .filter(Boolean)
    .join('\n');

export function taskResult(task: Task): A2aResult {
  const artifacts = task.artifacts.map((a) => ({ name: a.name || a.artifactId, parts: a.parts.map((p) => Part.toJSON(p)) }));
  const artifactText = task.artifacts.map((a) => textOf(a.parts)).filter(Boolean).join('\n');
  return {
    status: stateName(task.status?.state),
    taskId: task.id,
    contextId: task.contextId || null,
    artifacts,
    text: artifactText || statusText(task),
  };
}

/** An agent may answer with a message instead of a task: a finished exchange, its parts the one artifact. */
export function messageResult(message: Message): A2aResult {
  return {
    status: 'completed',
    taskId: null,
    contextId: message.contextId || null,
    artifacts: [{ name: 'message', parts: message.parts.map((p) => Part.toJSON(p)) }],
    text: textOf(message.parts),
  };
}

/** What the remote agent said with its current status (why it failed, what input it needs). */
export function statusText(task: Task): string {
  return task.status?.message ? textOf(task.status.message.parts) : '';
}
