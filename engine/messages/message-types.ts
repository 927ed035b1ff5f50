/**
 * What publishing a message takes and answers (POST /api/messages, and
 * EngineApi.publishMessage for in-process callers).
 */
import type { Variables } from '../runtime/types.js';

/** Buffering longer than this is refused (400): a message is a signal to a process, not storage. */
export const MAX_MESSAGE_TTL_MS = 30 * 24 * 3600_000;

export interface PublishMessageRequest {
  name: string;
  /** Matched letter for letter against subscriptions' evaluated keys; '' (the default) matches subscriptions without one. */
  correlationKey?: string;
  variables?: Variables;
  /** How long the message is kept for subscriptions opened later; 0 (the default): delivered now or never. */
  timeToLiveMs?: number;
  /** While a message with the same name, correlation key and id is buffered, publishing it again delivers nothing. */
  messageId?: string;
}

export interface PublishMessageResult {
  /** The message's key; for a duplicate, the key of the buffered message it repeats. */
  messageKey: string;
  /** True when a message with the same name, correlation key and messageId is still buffered: nothing was delivered. */
  duplicate: boolean;
  /** Waiting elements the message reached: at most one per process (BPMN process id). */
  correlated: { processInstanceId: string; processId: string; elementId: string }[];
  /** Instances the message started at message start events. */
  started: { processInstanceId: string; processId: string; elementId: string }[];
  /** Kept for subscriptions opened before `expiresAt`. */
  buffered: boolean;
  expiresAt: string | null;
  /** Reached no one and was not buffered (time to live 0): the message is gone. */
  dropped: boolean;
}
