/** Compiles a .bpmn fixture of test/fixtures/runtime for the runtime's specs (the diagram beside the spec). */
import { readFileSync } from 'node:fs';
import { compile } from '../../../engine/model/index.js';
import type { ExecutableProcess } from '../../../engine/model/types.js';

export async function compiled(name: string): Promise<ExecutableProcess> {
  const xml = readFileSync(new URL(`../../fixtures/runtime/${name}`, import.meta.url), 'utf8');
  const { processes, problems } = await compile(xml, name);
  if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => `${p.elementId ?? ''} ${p.message}`).join('; ')}`);
  return processes[0];
}
