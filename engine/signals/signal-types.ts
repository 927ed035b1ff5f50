/**
 * What broadcasting a signal takes and answers (POST /api/signals, and
 * EngineApi.broadcastSignal for in-process callers).
 */
import type { Variables } from '../runtime/types.js';

/** A signal name longer than this is refused (400): it could not be held by the index that finds subscriptions. */
export const MAX_SIGNAL_NAME_BYTES = 800;

export interface BroadcastSignalRequest {
  name: string;
  /** Given to every catcher and to every instance a signal start event starts. */
  variables?: Variables;
}

export interface SignalStart {
  processInstanceId: string;
  processId: string;
}

export interface BroadcastSignalResult {
  signalKey: string;
  /** How many waiting elements got it (catch events, boundary events, event sub-process starts). */
  delivered: number;
  /** The instances it started at signal start events, one per process. */
  started: SignalStart[];
}
