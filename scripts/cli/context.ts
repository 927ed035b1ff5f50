/** What every API command gets: its client and how to print (tables for people, `--json` for scripts). */
import type { Command } from 'commander';
import { ApiClient, connectionOf } from './api-client.js';
import { formatTable, type Column } from './table.js';

export interface CommandContext {
  api: ApiClient;
  json: boolean;
  out(line: string): void;
  err(line: string): void;
  /** `--json`: the API's JSON as it came; else the table. */
  print<R>(body: unknown, columns: Column<R>[], rows: R[], empty: string): void;
}

export function contextOf(command: Command): CommandContext {
  const opts = command.optsWithGlobals<{ url?: string; token?: string; json?: boolean }>();
  const out = (line: string) => void process.stdout.write(`${line}\n`);
  const json = Boolean(opts.json);
  return {
    api: new ApiClient(connectionOf(opts)),
    json,
    out,
    err: (line) => void process.stderr.write(`${line}\n`),
    print(body, columns, rows, empty) {
      if (json) out(JSON.stringify(body, null, 2));
      else if (rows.length === 0) out(empty);
      else for (const line of formatTable(columns, rows)) out(line);
    },
  };
}
