/**
 * The same process run by the npm package `bpmn-engine` (in memory, nothing
 * persisted), as a reference point for the engine's per-instance cost.
 */
import { readFileSync } from 'node:fs';
import { Engine } from 'bpmn-engine';
import { pool } from './stats.js';

const source = readFileSync(new URL('./three-tasks.bpmn-engine.bpmn', import.meta.url), 'utf8');

export async function bpmnEngineBaseline(instances: number, concurrency: number): Promise<{ instancesPerSec: number }> {
  const started = performance.now();
  await pool(instances, concurrency, async (i) => {
    const engine = new Engine({
      name: `bench-${i}`,
      source,
      services: { work: (_ctx: unknown, next: (err: Error | null, result?: unknown) => void) => setImmediate(() => next(null, { ok: true })) },
    });
    await new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
      engine.execute().catch(reject);
    });
  });
  return { instancesPerSec: instances / ((performance.now() - started) / 1000) };
}
