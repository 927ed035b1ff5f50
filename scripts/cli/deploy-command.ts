/** `weft deploy <files or folders…>`: one deployment of every file named, and of a folder's deployable files. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from './api-client.js';
import { contextOf } from './context.js';

/** What a folder contributes: the kinds of file the engine deploys. */
export const DEPLOYABLE = ['.bpmn', '.dmn', '.form', '.agent.json'];

export function deployableFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`No such file or folder: ${path}`);
    }
    if (!stat.isDirectory()) {
      files.push(path);
      continue;
    }
    const found = (readdirSync(path, { recursive: true }) as string[])
      .filter((name) => DEPLOYABLE.some((ext) => name.endsWith(ext)))
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0) throw new UsageError(`${path} holds no ${DEPLOYABLE.join(', ')} files`);
    files.push(...found);
  }
  return files;
}

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description(`deploy files (${DEPLOYABLE.join(', ')}), or the files of a folder, as one deployment`)
    .argument('<paths...>', 'files or folders')
    .action(async (paths: string[], _opts, command: Command) => {
      const ctx = contextOf(command);
      const form = new FormData();
      for (const file of deployableFiles(paths)) form.append('files', new Blob([readFileSync(file)]), basename(file));
      const result = await ctx.api.postForm<{ id: string; processes: { key: string; processId: string; version: number; name: string | null }[]; warnings?: { file?: string; message: string }[] }>('/api/deployments', form);
      if (ctx.json) return ctx.out(JSON.stringify(result, null, 2));
      ctx.out(`Deployed ${result.id}`);
      ctx.print(result, [
        { header: 'process', value: (p) => p.processId },
        { header: 'version', value: (p) => p.version },
        { header: 'key', value: (p) => p.key },
        { header: 'name', value: (p) => p.name },
      ], result.processes, '(no processes)');
      for (const w of result.warnings ?? []) ctx.err(`warning: ${w.file ? `${w.file}: ` : ''}${w.message}`);
    });
}
