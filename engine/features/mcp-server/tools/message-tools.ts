/** publish_message: POST /api/messages, through the route's own strict body schema. */
import { z } from 'zod';
import { parseBody, publishMessageBody } from '../../../api/schemas.js';
import { defineTool } from '../mcp-tool.js';

export const publishMessage = defineTool({
  name: 'publish_message',
  title: 'Publish a message',
  description:
    'Publishes a BPMN message: it reaches the instances waiting for a message of this name whose correlation key matches, and starts processes with a message start event of this name. With a time to live it is kept for subscribers that open later; with a messageId it is published at most once. Returns what it reached (`correlated`, `started`) and whether it was buffered.',
  route: 'POST /messages',
  input: z.strictObject({
    name: z.string().describe('The message name, as the diagram names it'),
    correlationKey: z.union([z.string(), z.number()]).optional().describe('Matched against the waiting subscriptions’ correlation keys (a number is matched by its decimal text)'),
    variables: z.record(z.string(), z.unknown()).optional().describe('Variables the message carries into the instance: a JSON object'),
    timeToLiveMs: z.number().optional().describe('How long to keep the message for subscribers that open later, in milliseconds (at most 30 days; default 0)'),
    messageId: z.string().optional().describe('A unique id: a second message with the same name and id is not published again while the first is kept'),
  }),
  async run(args, actor, { engine }) {
    return { ...(await engine.publishMessage(parseBody(publishMessageBody, args), actor.id)) };
  },
});
