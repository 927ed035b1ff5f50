/**
 * Receive tasks: wait for the message they name (`messageRef`), matched by
 * its correlation key; without a message, a plain wait state that is
 * triggered explicitly.
 */
import type { ReceiveTaskElement } from '../types.js';
import { baseProps, type Transformer } from './context.js';
import { readMessage, type MessageRef } from './event-definitions.js';
import { readInboundWebhook } from './inbound-webhook.js';

export const receiveTask: Transformer = (node, parent, ctx) => {
  const ref = (node as typeof node & { messageRef?: MessageRef }).messageRef;
  const element: ReceiveTaskElement = { kind: 'receiveTask', ...baseProps(node, parent, ctx) };
  if (ref) {
    const message = readMessage(node, ref, ctx);
    if (!message) return undefined;
    element.message = message;
    const webhook = readInboundWebhook(node, ctx.problems, message);
    if (webhook) element.webhook = webhook;
  }
  return element;
};
