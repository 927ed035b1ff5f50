/**
 * A2A task states by the names the protocol's JSON uses in its older form and
 * people read (`working`, `input-required`), from the SDK's enum.
 */
import { TaskState } from '@a2a-js/sdk';

export type A2aState = 'submitted' | 'working' | 'completed' | 'failed' | 'canceled' | 'input-required' | 'rejected' | 'auth-required' | 'unknown';

const NAMES: Partial<Record<TaskState, A2aState>> = {
  [TaskState.TASK_STATE_SUBMITTED]: 'submitted',
  [TaskState.TASK_STATE_WORKING]: 'working',
  [TaskState.TASK_STATE_COMPLETED]: 'completed',
  [TaskState.TASK_STATE_FAILED]: 'failed',
  [TaskState.TASK_STATE_CANCELED]: 'canceled',
  [TaskState.TASK_STATE_INPUT_REQUIRED]: 'input-required',
  [TaskState.TASK_STATE_REJECTED]: 'rejected',
  [TaskState.TASK_STATE_AUTH_REQUIRED]: 'auth-required',
};

export function stateName(state: TaskState | undefined): A2aState {
  return (state !== undefined && NAMES[state]) || 'unknown';
}

/** The task is over: nothing it does will change any more. */
export const TERMINAL: ReadonlySet<A2aState> = new Set(['completed', 'failed', 'canceled', 'rejected']);
/** The task waits for its client (more input, credentials): polling will not move it on. */
export const INTERRUPTED: ReadonlySet<A2aState> = new Set(['input-required', 'auth-required']);
