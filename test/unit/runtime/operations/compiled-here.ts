/** Compiles a .bpmn beside these specs. */
import { readFileSync } from 'node:fs';
import { compile } from '../../../../engine/model/index.js';
import type { ExecutableProcess } from '../../../../engine/model/types.js';

export async function compiledHere(name: string): Promise<ExecutableProcess> {
  const xml = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  const { processes, problems } = await compile(xml, name);
  if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => `${p.elementId ?? ''} ${p.message}`).join('; ')}`);
  return processes[0];
}
