/**
 * In-process handlers for tools of kind `worker` or `connector`: an
 * optimisation, not the only way. A tool call whose type has a handler here
 * (`registerAgentTool('lookup-invoice', async (args, ctx) => …)` in the
 * process that runs the agent worker) runs at once; every other one becomes a
 * job of the tool's type that any worker of that type does (the SDK, a
 * connector, a worker on the REST job API; runtime/tool-jobs.ts), and the
 * agent waits for it durably. The handler gets the model's arguments and an
 * idempotency key (job key + tool call id) that stays the same when a retried
 * run has to repeat a call whose result was not yet journaled.
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
