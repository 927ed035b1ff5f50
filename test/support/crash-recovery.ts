/**
 * What the crash tests share: a test engine with bench/three-tasks.bpmn
 * deployed, engine processes on its database and queues (killed after the
 * test), and the check that nothing was lost.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { WeftOptions } from '../../engine/weft.js';
import { eventually, startTestWeft, type TestWeft } from './test-weft.js';
import { spawnEngine, type EngineProcess } from './spawn-engine.js';

/** The process the crash tests run (id bench-three-tasks), and its job types for WORKER_TYPES. */
export const THREE_TASKS = readFileSync(new URL('../../bench/three-tasks.bpmn', import.meta.url), 'utf8');
export const THREE_TASK_TYPES = 'bench-1,bench-2,bench-3';

let current: TestWeft | undefined;
const children: EngineProcess[] = [];

/** The test's engine, with THREE_TASKS deployed; stopped by endCrashTest. */
export async function startCrashTest(options: Partial<WeftOptions> = {}): Promise<TestWeft> {
  current = await startTestWeft(options);
  await current.weft.engine.deploy([{ name: 'three-tasks.bpmn', content: THREE_TASKS }], 'test');
  return current;
}

/** An engine process (test/support/engine-process.ts, `env` beside where to run) on the test engine's database and queues; killed by endCrashTest. */
export function spawnChild(env: Record<string, string>): EngineProcess {
  const { databaseUrl, redisUrl, queuePrefix } = current!.config;
  const child = spawnEngine({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, WEFT_QUEUE_PREFIX: queuePrefix, ...env });
  children.push(child);
  return child;
}

/** For afterEach: kills the test's engine processes, stops its engine. */
export async function endCrashTest(): Promise<void> {
  for (const child of children.splice(0)) child.kill();
  await current?.stop();
  current = undefined;
}

/** Every instance COMPLETED, and each job completed exactly once in the audit. */
export async function expectAllCompletedOnce(t: TestWeft, instances: number) {
  await eventually(async () => {
    const [{ count }] = await t.weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
    return Number(count) === instances;
  }, 60_000);
  const jobs = await t.weft.db('jobs').select('key', 'state');
  expect(jobs.length).toBe(instances * 3);
  expect(jobs.every((j) => j.state === 'COMPLETED')).toBe(true);
  const completions = await t.weft.db('audit').where({ type: 'JOB_COMPLETED' }).select('payload');
  const perJob = new Map<string, number>();
  for (const c of completions) perJob.set(c.payload.jobKey, (perJob.get(c.payload.jobKey) ?? 0) + 1);
  expect(perJob.size).toBe(instances * 3);
  expect([...perJob.values()].every((n) => n === 1)).toBe(true);
}
