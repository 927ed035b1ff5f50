/**
 * The commands that talk to a running Weft over its REST API (commander),
 * beside the database commands of weft-cli.ts (node:util parseArgs), which
 * hands these names over here.
 *
 * Connection: --url / WEFT_URL (default http://localhost:3000) and
 * --token / WEFT_TOKEN; the token is sent, never printed.
 */
import { Command, CommanderError } from 'commander';
import { DEFAULT_URL } from './api-client.js';
import { ItemsFailed, registerBatch } from './batch-command.js';
import { registerDeploy } from './deploy-command.js';
import { describeFailure } from './errors-output.js';
import { registerLists } from './list-commands.js';
import { registerRetry } from './retry-command.js';
import { registerStart } from './start-command.js';
import { registerTail } from './tail-command.js';

export const API_COMMANDS = new Set(['deploy', 'start', 'instances', 'tasks', 'incidents', 'retry', 'tail', 'batch']);
const API_OPTIONS = ['--url', '--token', '--json'];

/** Whether these arguments are an API command: its name first, or one of the connection options before it (`weft --url … deploy`). */
export function isApiCommand(args: string[]): boolean {
  const first = args[0] ?? '';
  return API_COMMANDS.has(first) || API_OPTIONS.some((o) => first === o || first.startsWith(`${o}=`));
}

export const API_USAGE = `  weft deploy|start|instances|tasks|incidents|retry|tail|batch …
                             (against a running Weft: WEFT_URL or --url, WEFT_TOKEN or --token; --json; weft <command> --help)`;

export function apiProgram(): Command {
  const program = new Command('weft')
    .description('Weft over its REST API')
    .option('--url <url>', `the Weft server (env WEFT_URL; default ${DEFAULT_URL})`)
    .option('--token <token>', 'an API token (env WEFT_TOKEN)')
    .option('--json', "print the API's JSON (for scripts)")
    .exitOverride();
  for (const register of [registerDeploy, registerStart, registerLists, registerRetry, registerTail, registerBatch]) register(program);
  // Subcommands throw rather than exit too, so the code below decides the exit code.
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs one API command (args without node and the script); resolves to the exit code. */
export async function runApiCli(args: string[]): Promise<number> {
  try {
    await apiProgram().parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has printed its own usage message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode;
    // Some items of a batch failed: the command has printed them.
    if (error instanceof ItemsFailed) return error.exitCode;
    for (const line of describeFailure(error)) process.stderr.write(`${line}\n`);
    return 1;
  }
}
