/**
 * `weft tail <instanceId>`: the instance's audit trail, then the entries that
 * follow. GET /api/events says which instances changed (ids only); when this
 * one's id comes (or `all`, the feed's overflow), the trail is read again and
 * what is new is printed. The server ends a stream after a while; we
 * reconnect. Ctrl-C ends it.
 */
import type { Command } from 'commander';
import type { ApiClient } from './api-client.js';
import { cell } from './table.js';
import { contextOf, type CommandContext } from './context.js';

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  type: string;
  elementId: string | null;
  payload: Record<string, unknown> | null;
}

export function auditLine(e: AuditEntry): string {
  return `${e.at}  ${e.type.padEnd(24)} ${(e.elementId ?? '-').padEnd(16)} ${e.actor}${e.payload && Object.keys(e.payload).length ? `  ${cell(e.payload, 120)}` : ''}`;
}

/** The `data:` of each `instances` event in a chunk of SSE text; the rest (an incomplete event) is returned to be continued. */
export function parseEvents(buffer: string): { changes: unknown[]; rest: string } {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  const changes: unknown[] = [];
  for (const block of blocks) {
    const lines = block.split(/\r?\n/);
    if (!lines.some((l) => l === 'event: instances')) continue;
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
    try {
      changes.push(JSON.parse(data));
    } catch {
      // a malformed event is not ours to fail on
    }
  }
  return { changes, rest };
}

export function concerns(change: unknown, instanceId: string): boolean {
  const c = change as { ids?: string[]; all?: boolean };
  return c.all === true || (Array.isArray(c.ids) && c.ids.includes(instanceId));
}

async function printNew(ctx: CommandContext, id: string, seen: Set<string>): Promise<void> {
  const { items } = await ctx.api.get<{ items: AuditEntry[] }>(`/api/process-instances/${encodeURIComponent(id)}/audit`);
  for (const e of items) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    ctx.out(ctx.json ? JSON.stringify(e) : auditLine(e));
  }
}

async function follow(api: ApiClient, id: string, onChange: () => Promise<void>): Promise<void> {
  const res = await api.stream('/api/events');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const { changes, rest } = parseEvents(buffer + value);
    buffer = rest;
    if (changes.some((c) => concerns(c, id))) await onChange();
  }
}

export function registerTail(program: Command): void {
  program
    .command('tail')
    .description("print an instance's audit trail and follow it (Ctrl-C ends)")
    .argument('<instanceId>')
    .action(async (id: string, _opts, command: Command) => {
      const ctx = contextOf(command);
      const seen = new Set<string>();
      await printNew(ctx, id, seen);
      process.once('SIGINT', () => process.exit(0));
      for (;;) {
        // Read again after each (re)connect: what changed while no stream was open is not lost.
        await follow(ctx.api, id, () => printNew(ctx, id, seen));
        await new Promise((r) => setTimeout(r, 1000));
        await printNew(ctx, id, seen);
      }
    });
}
