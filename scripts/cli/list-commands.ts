/** `weft instances`, `weft tasks`, `weft incidents`: the lists, as tables or `--json`. */
import type { Command } from 'commander';
import { contextOf } from './context.js';

interface Page<T> {
  items: T[];
  total: number;
}

const upper = (s?: string) => s?.toUpperCase();

export function registerLists(program: Command): void {
  program
    .command('instances')
    .description('list process instances, newest first')
    .option('--process <processId>', 'of this process only')
    .option('--state <state>', 'ACTIVE, COMPLETED, TERMINATED or CANCELED')
    .option('--incidents', 'only those with an open incident')
    .option('--limit <n>', 'how many', '50')
    .action(async (opts: { process?: string; state?: string; incidents?: boolean; limit: string }, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.api.get<Page<{ id: string; processId: string; version: number; state: string; businessKey: string | null; openIncidents: number; createdAt: string }>>('/api/process-instances', {
        processId: opts.process,
        state: upper(opts.state),
        hasIncident: opts.incidents ? true : undefined,
        limit: opts.limit,
      });
      ctx.print(page, [
        { header: 'id', value: (i) => i.id },
        { header: 'process', value: (i) => `${i.processId} v${i.version}` },
        { header: 'state', value: (i) => i.state },
        { header: 'incidents', value: (i) => i.openIncidents },
        { header: 'business key', value: (i) => i.businessKey, max: 30 },
        { header: 'started', value: (i) => i.createdAt },
      ], page.items, 'No instances.');
    });

  program
    .command('tasks')
    .description('list the user tasks the token may see')
    .option('--state <state>', 'CREATED, COMPLETED or CANCELED')
    .option('--limit <n>', 'how many', '50')
    .action(async (opts: { state?: string; limit: string }, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.api.get<Page<{ id: string; name: string | null; elementId: string; processId: string; state: string; assignee: string | null; dueDate: string | null }>>('/api/tasks', { state: upper(opts.state), limit: opts.limit });
      ctx.print(page, [
        { header: 'id', value: (t) => t.id },
        { header: 'name', value: (t) => t.name ?? t.elementId, max: 40 },
        { header: 'process', value: (t) => t.processId },
        { header: 'state', value: (t) => t.state },
        { header: 'assignee', value: (t) => t.assignee },
        { header: 'due', value: (t) => t.dueDate },
      ], page.items, 'No tasks.');
    });

  program
    .command('incidents')
    .description('list incidents (open ones unless --state RESOLVED)')
    .option('--state <state>', 'OPEN or RESOLVED', 'OPEN')
    .option('--instance <id>', 'of this process instance only')
    .action(async (opts: { state: string; instance?: string }, command: Command) => {
      const ctx = contextOf(command);
      const body = await ctx.api.get<{ id: string; processInstanceId: string; elementId: string; jobKey: string | null; type: string; message: string; createdAt: string }[] | Page<any>>('/api/incidents', { state: upper(opts.state), processInstanceId: opts.instance });
      const rows = Array.isArray(body) ? body : body.items;
      ctx.print(body, [
        { header: 'id', value: (i) => i.id },
        { header: 'instance', value: (i) => i.processInstanceId },
        { header: 'element', value: (i) => i.elementId },
        { header: 'type', value: (i) => i.type },
        { header: 'job', value: (i) => i.jobKey },
        { header: 'message', value: (i) => i.message, max: 60 },
      ], rows, opts.state.toUpperCase() === 'OPEN' ? 'No open incidents.' : 'No incidents.');
    });
}
