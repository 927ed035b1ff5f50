/**
 * Tools of kind `worker` or `connector` run in-process through this registry:
 * `registerAgentTool('lookup-invoice', async (args, ctx) => …)` in the
 * process that runs the agent worker. The handler gets the model's arguments
 * and an idempotency key (job key + tool call id) that stays the same when a
 * retried run has to repeat a call whose result was not yet journaled.
 *
 * Why in-process and not a job: a job needs a BPMN element to belong to, and
 * a tool call inside one agent task has none (the ad-hoc sub-process is the
 * way to make activities real BPMN elements).
 */
export interface ToolCallContext {
  idempotencyKey: string;
  processInstanceId: string;
  agent: string;
  variables: Record<string, unknown>;
}

export type AgentToolHandler = (args: Record<string, unknown>, ctx: ToolCallContext) => Promise<unknown> | unknown;

export class ToolRegistry {
  private readonly handlers = new Map<string, AgentToolHandler>();

  register(workerType: string, handler: AgentToolHandler): this {
    this.handlers.set(workerType, handler);
    return this;
  }

  get(workerType: string): AgentToolHandler | undefined {
    return this.handlers.get(workerType);
  }
}

/** The registry the agents feature's worker uses. */
export const defaultToolRegistry = new ToolRegistry();

export function registerAgentTool(workerType: string, handler: AgentToolHandler): void {
  defaultToolRegistry.register(workerType, handler);
}
