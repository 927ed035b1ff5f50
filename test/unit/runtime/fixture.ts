/** A process from a .bpmn under test/fixtures/runtime, compiled as a deployment would compile it. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { compile } from '../../../engine/model/index.js';
import type { ExecutableProcess } from '../../../engine/model/types.js';

export async function fixtureProcess(file: string, processId?: string): Promise<ExecutableProcess> {
  const xml = readFileSync(new URL(`../../fixtures/runtime/${file}`, import.meta.url), 'utf8');
  const { processes, problems } = await compile(xml, file);
  expect(problems).toEqual([]);
  const found = processId ? processes.find((p) => p.id === processId) : processes[0];
  if (!found) throw new Error(`${file} has no process ${processId}`);
  return found;
}
