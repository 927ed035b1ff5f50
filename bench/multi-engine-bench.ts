/**
 * `npm run bench -- --engines N [instances]`, N > 1: the single-engine
 * bench's workload (start → three service tasks → end, IN_FLIGHT instances
 * in flight, closed loop, fully durable) over N engine processes on one
 * fresh database and one Redis prefix, each with its own workers for the
 * three job types and its own closed loop of starts (bench-engine-process.ts).
 *
 * The measured phase is the single-engine bench's: from the first start to
 * the last completion, read from Postgres; no warm-up before it. It prints
 * the aggregate figures (instances and jobs per second, start→end latency,
 * dispatch latency, machine CPU per instance) and each engine's (instances
 * started and completed, jobs completed — read from the jobs' worker ids in
 * Postgres —, its own Node CPU per instance), checks that every instance
 * started is COMPLETED (and fails otherwise), and ends with one JSON line.
 * The half-load phase and the baselines are not run: they measure one
 * process, and `npm run bench` without --engines runs them.
 */
import { cpus } from 'node:os';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { startWeft } from '../engine/weft.js';
import { benchConfig, dropDatabase } from './bench-database.js';
import { machineCpu } from './machine-cpu.js';
import { round } from './stats.js';
import { IN_FLIGHT, JOBS_PER_INSTANCE, latencyFigures, threeTasksXml, waitForCompleted } from './three-tasks-workload.js';
import { startBenchEngines, type BenchEngine, type EngineReport } from './engine-processes.js';

/** An engine's Node CPU per instance it completed (null if it completed none). */
const cpuPerInstance = (e: EngineFigures) => (e.instancesCompleted > 0 ? round(e.nodeCpuMs / e.instancesCompleted, 2) : null);

interface EngineFigures {
  engine: number;
  pid: number;
  instancesStarted: number;
  instancesCompleted: number;
  jobsCompleted: number;
  nodeCpuMs: number;
}

export async function multiEngineBench(n: number, engineCount: number): Promise<void> {
  console.log(`Weft benchmark: ${n} instances of start → 3 service tasks → end over ${engineCount} engine processes (each with its own workers and its own loop of starts; Postgres + BullMQ)`);
  const config = benchConfig();
  const ticketKey = `${config.queuePrefix}:bench-instances`;
  // The driver's own engine only migrates, deploys and reads: no background loops, no features, no workers.
  const weft = await startWeft({ config, logger: pino({ level: 'warn' }), http: false, background: false, features: false, poolMax: 2 });
  let engines: BenchEngine[] = [];
  try {
    await weft.engine.deploy([{ name: 'three-tasks.bpmn', content: threeTasksXml }], 'bench');
    const started = await startBenchEngines(engineCount, { databaseUrl: config.databaseUrl, queuePrefix: config.queuePrefix, ticketKey, instances: n });
    engines = started.engines;

    const began = performance.now();
    const machine = machineCpu();
    const first = Math.min(IN_FLIGHT, n);
    engines.forEach((e, i) => e.go(Math.floor(first / engineCount) + (i < first % engineCount ? 1 : 0)));
    await waitForCompleted(weft.db, n, started.failure);
    const seconds = (performance.now() - began) / 1000;
    const machineMs = machine();
    const reports = await Promise.all(engines.map((e) => e.report()));
    await Promise.all(engines.map((e) => e.stop()));

    const perEngine = await engineFigures(weft.db, engines, reports);
    await verifyCompleted(weft.db, n, perEngine);
    const aggregate = await latencyFigures(weft.db, new Map(reports.flatMap((r) => r.pickedUp)));
    const nodeCpuMs = perEngine.reduce((sum, e) => sum + e.nodeCpuMs, 0);
    const cpuMsPerInstance = machineMs === null ? null : machineMs / n;

    const instancesPerSec = n / seconds;
    console.log(`engines:     ${round(instancesPerSec)} instances/s (${round(instancesPerSec * JOBS_PER_INSTANCE)} jobs/s) in ${round(seconds, 2)} s, ${engineCount} engine processes together`);
    console.log(`             start→end latency p50 ${aggregate.latencyP50} ms, p99 ${aggregate.latencyP99} ms`);
    console.log(`             job dispatch latency p50 ${aggregate.dispatchP50} ms, p99 ${aggregate.dispatchP99} ms`);
    const machineLine = cpuMsPerInstance === null ? 'machine CPU not measured (no /proc/stat)' : `machine CPU ${round(cpuMsPerInstance, 2)} ms per instance (${round((machineMs! * 100) / (seconds * 1000) / cpus().length)}% of ${cpus().length} cores busy)`;
    console.log(`             ${machineLine}; Node CPU ${round(nodeCpuMs / n, 2)} ms per instance (the engine processes together)`);
    console.log(`             all ${n} instances started are COMPLETED in Postgres; ${n * JOBS_PER_INSTANCE} jobs completed`);
    for (const e of perEngine) {
      console.log(`${`engine ${e.engine}:`.padEnd(13)}pid ${e.pid}: started ${e.instancesStarted} and completed ${e.instancesCompleted} instances, completed ${e.jobsCompleted} jobs; Node CPU ${cpuPerInstance(e)} ms per instance it completed (${round(e.nodeCpuMs)} ms in all)`);
    }
    console.log(`skipped:     half load and the baselines (Camunda client, bare BullMQ, bpmn-engine) with --engines > 1: they measure one process; npm run bench without --engines runs them`);
    console.log(
      JSON.stringify({
        instances: n,
        engines: engineCount,
        instancesPerSec: round(instancesPerSec),
        engineJobsPerSec: round(instancesPerSec * JOBS_PER_INSTANCE),
        latencyP50Ms: aggregate.latencyP50,
        latencyP99Ms: aggregate.latencyP99,
        dispatchP50Ms: aggregate.dispatchP50,
        dispatchP99Ms: aggregate.dispatchP99,
        cpuMsPerInstance: cpuMsPerInstance === null ? null : round(cpuMsPerInstance, 2),
        nodeCpuMsPerInstance: round(nodeCpuMs / n, 2),
        perEngine: perEngine.map((e) => ({
          engine: e.engine,
          pid: e.pid,
          instancesStarted: e.instancesStarted,
          instancesCompleted: e.instancesCompleted,
          jobsCompleted: e.jobsCompleted,
          nodeCpuMsPerInstance: cpuPerInstance(e),
        })),
      }),
    );
  } finally {
    for (const e of engines) e.kill();
    await weft.redis.del(ticketKey);
    await weft.close();
    await dropDatabase(config.databaseUrl);
  }
}

/**
 * Each engine's share, from Postgres: a completed job keeps the id of the
 * worker that held it (`bench-engine-<engine>:<type>`), and completing an
 * instance's last job is what ends it, so the engine whose worker completed
 * it completed the instance.
 */
async function engineFigures(db: Knex, engines: BenchEngine[], reports: EngineReport[]): Promise<EngineFigures[]> {
  const rows: { worker_id: string | null; type: string; count: string }[] = await db('jobs').where({ state: 'COMPLETED' }).select('worker_id', 'type').count({ count: '*' }).groupBy('worker_id', 'type');
  const lastType = `bench-${JOBS_PER_INSTANCE}`;
  return engines.map((e, i) => {
    const mine = rows.filter((r) => r.worker_id?.startsWith(`bench-engine-${e.engine}:`));
    return {
      engine: e.engine,
      pid: e.pid,
      instancesStarted: reports[i].started,
      instancesCompleted: mine.filter((r) => r.type === lastType).reduce((sum, r) => sum + Number(r.count), 0),
      jobsCompleted: mine.reduce((sum, r) => sum + Number(r.count), 0),
      nodeCpuMs: reports[i].cpuMs,
    };
  });
}

/** Fails the bench unless exactly `n` instances were started, all are COMPLETED, and the engines completed all their jobs. */
async function verifyCompleted(db: Knex, n: number, perEngine: EngineFigures[]): Promise<void> {
  const [{ count }] = await db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
  const [{ total }] = await db('process_instances').count({ total: '*' });
  const started = perEngine.reduce((sum, e) => sum + e.instancesStarted, 0);
  const instancesCompleted = perEngine.reduce((sum, e) => sum + e.instancesCompleted, 0);
  const jobsCompleted = perEngine.reduce((sum, e) => sum + e.jobsCompleted, 0);
  const problems = [
    started !== n && `the engines started ${started} instances, not ${n}`,
    Number(total) !== n && `process_instances holds ${total} instances, not ${n}`,
    Number(count) !== n && `${count} of ${total} instances are COMPLETED, not ${n}`,
    instancesCompleted !== n && `the engines' workers completed the last task of ${instancesCompleted} instances, not ${n}`,
    jobsCompleted !== n * JOBS_PER_INSTANCE && `the engines' workers completed ${jobsCompleted} jobs, not ${n * JOBS_PER_INSTANCE}`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`bench with ${perEngine.length} engines did not complete every instance: ${problems.join('; ')}`);
}
