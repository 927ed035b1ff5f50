/** `weft start <processId> [--var name=json …] [--business-key k]`. */
import type { Command } from 'commander';
import { UsageError } from './api-client.js';
import { contextOf } from './context.js';

/** `name=json` → [name, value]; the value must be JSON (`42`, `"gold"`, `true`, `{"a":1}`). */
export function parseVar(text: string, vars: Record<string, unknown> = {}): Record<string, unknown> {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--var ${text}: write name=value, the value as JSON (e.g. amount=42, tier='"gold"')`);
  const name = text.slice(0, at);
  try {
    return { ...vars, [name]: JSON.parse(text.slice(at + 1)) };
  } catch {
    throw new UsageError(`--var ${name}: the value must be JSON (a text needs its quotes: ${name}='"${text.slice(at + 1)}"')`);
  }
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start an instance of the latest version of a process')
    .argument('<processId>')
    .option('--var <name=json>', 'a variable (repeat it)', parseVar)
    .option('--business-key <key>', 'the business key')
    .action(async (processId: string, opts: { var?: Record<string, unknown>; businessKey?: string }, command: Command) => {
      const ctx = contextOf(command);
      const body = { processId, variables: opts.var ?? {}, ...(opts.businessKey ? { businessKey: opts.businessKey } : {}) };
      const instance = await ctx.api.post<{ id: string; processId: string; version: number; state: string }>('/api/process-instances', body);
      if (ctx.json) return ctx.out(JSON.stringify(instance, null, 2));
      ctx.out(`Started ${instance.id} (${instance.processId} v${instance.version}, ${instance.state})`);
    });
}
