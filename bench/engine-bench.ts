/**
 * `npm run bench [-- N]`: N instances (default 2,000) of start → three
 * service tasks → end, with in-process workers, against the real Postgres and
 * Redis, fully durable. Then the same process worked by Camunda's own
 * TypeScript client over Weft's /v2 job routes, the same number of jobs
 * through a bare BullMQ round trip, and the same process in `bpmn-engine`,
 * in the same run.
 *
 * Around the closed-loop phase it reads the machine's CPU (/proc/stat) and
 * the audit written per instance; then it starts instances at half the rate
 * found, steadily, and reports the job dispatch latency there (half-load.ts).
 *
 * The last line printed is one JSON object with the headline figures.
 * Uses a database of its own (created and dropped) and a Redis prefix of its own.
 *
 * `npm run bench -- --engines N [instances]` with N > 1 runs the same
 * workload over N engine processes instead (multi-engine-bench.ts).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { benchConfig, dropDatabase } from './bench-database.js';
import { startWeft } from '../engine/weft.js';
import { bullmqBaseline } from './bullmq-baseline.js';
import { bpmnEngineBaseline } from './bpmn-engine-baseline.js';
import { camundaClientBench } from './camunda-client-bench.js';
import { round } from './stats.js';
import { machineCpu } from './machine-cpu.js';
import { halfLoad } from './half-load.js';
import { markFetches, markRelays, stageMarks } from './dispatch-stages.js';
import { IN_FLIGHT, JOBS_PER_INSTANCE, PROCESS_ID, WORKER_CONCURRENCY, latencyFigures, startBenchWorkers, threeTasksXml as xml, waitForCompleted } from './three-tasks-workload.js';
import { multiEngineBench } from './multi-engine-bench.js';

/** How long the half-load phase starts instances (seconds). */
const HALF_LOAD_SECONDS = Number(process.env.BENCH_HALF_LOAD_SECONDS ?? 10);

const args = parseArgs({ options: { engines: { type: 'string', default: '1' } }, allowPositionals: true });
const N = Number(args.positionals[0] ?? process.env.BENCH_N ?? 2000);
const ENGINES = Number(args.values.engines);

async function benchEngine() {
  const config = benchConfig();
  const weft = await startWeft({ config, logger: pino({ level: 'warn' }), http: false, poolMax: 20 });
  try {
    await weft.engine.deploy([{ name: 'three-tasks.bpmn', content: xml }], 'bench');
    const pickedUp = new Map<string, number>();
    let launched = 0;
    const failures: unknown[] = [];
    const launch = () => {
      if (launched >= N) return;
      launched++;
      weft.engine.startInstance({ processId: PROCESS_ID, variables: { n: launched } }, 'bench').catch((e) => failures.push(e));
    };
    const workers = startBenchWorkers(weft, pickedUp, launch);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const machine = machineCpu();
    for (let i = 0; i < Math.min(IN_FLIGHT, N); i++) launch();
    await waitForCompleted(weft.db, N, () => failures[0]);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const machineMs = machine();

    const timings = await latencyFigures(weft.db, pickedUp);
    const duplicates = await weft.db('audit').where({ type: 'JOB_COMPLETED' }).count({ count: '*' });
    // What the record costs: rows, their bytes, and the tables with their indexes and the chain's links.
    const {
      rows: [audit],
    } = await weft.db.raw(`SELECT count(*)::int AS rows, coalesce(sum(pg_column_size(a.*)), 0)::bigint AS bytes,
        pg_total_relation_size('audit') + pg_total_relation_size('audit_links') + pg_total_relation_size('audit_chain_heads') AS stored
      FROM audit a`);
    const maxRate = N / seconds;
    // Marked in the half-load phase only: the closed loop above runs unobserved.
    const marks = stageMarks();
    markRelays(weft.dispatcher, marks);
    for (const worker of workers) markFetches(worker, marks);
    const half = await halfLoad(weft, pickedUp, marks, maxRate / 2, HALF_LOAD_SECONDS, (i) => ({ n: N + i }));
    return {
      seconds,
      instancesPerSec: N / seconds,
      ...timings,
      jobCompletions: Number(duplicates[0].count),
      nodeCpuMsPerJob: (used.user + used.system) / 1000 / (N * JOBS_PER_INSTANCE),
      nodeCpuMsPerInstance: (used.user + used.system) / 1000 / N,
      cpuMsPerInstance: machineMs === null ? null : machineMs / N,
      machineBusy: machineMs === null ? null : machineMs / (seconds * 1000),
      auditRowsPerInstance: audit.rows / N,
      auditBytesPerInstance: Number(audit.bytes) / N,
      auditStoredBytesPerInstance: Number(audit.stored) / N,
      half,
      config,
      weft,
    };
  } catch (error) {
    await weft.close();
    throw error;
  }
}

async function main() {
  if (!Number.isInteger(ENGINES) || ENGINES < 1) throw new Error(`--engines takes a whole number of engine processes (1 or more), not ${args.values.engines}`);
  if (ENGINES > 1) {
    await multiEngineBench(N, ENGINES);
    process.exit(0);
  }
  console.log(`Weft benchmark: ${N} instances of start → 3 service tasks → end (in-process workers, Postgres + BullMQ)`);
  const engine = await benchEngine();
  const { weft, config } = engine;
  await weft.close();
  await dropDatabase(config.databaseUrl);
  console.log(`engine:      ${round(engine.instancesPerSec)} instances/s (${round(engine.instancesPerSec * JOBS_PER_INSTANCE)} jobs/s) in ${round(engine.seconds, 2)} s`);
  console.log(`             start→end latency p50 ${engine.latencyP50} ms, p99 ${engine.latencyP99} ms`);
  console.log(`             job dispatch latency p50 ${engine.dispatchP50} ms, p99 ${engine.dispatchP99} ms`);
  console.log(`             ${engine.jobCompletions} job completions recorded for ${N * JOBS_PER_INSTANCE} jobs; Node CPU ${round(engine.nodeCpuMsPerJob, 3)} ms per job`);
  const machineLine = engine.cpuMsPerInstance === null ? 'machine CPU not measured (no /proc/stat)' : `machine CPU ${round(engine.cpuMsPerInstance, 2)} ms per instance (${round(engine.machineBusy! * 100 / cpus().length)}% of ${cpus().length} cores busy)`;
  console.log(`             ${machineLine}; Node CPU ${round(engine.nodeCpuMsPerInstance, 2)} ms per instance`);
  console.log(`             audit ${round(engine.auditRowsPerInstance, 1)} rows and ${round(engine.auditBytesPerInstance)} bytes per instance (${round(engine.auditStoredBytesPerInstance)} bytes stored with indexes and the chain)`);
  console.log(`half load:   ${round(engine.half.instancesPerSec)} instances/s started steadily for ${HALF_LOAD_SECONDS} s (${engine.half.instances}): job dispatch latency p50 ${engine.half.dispatchP50} ms, p99 ${engine.half.dispatchP99} ms`);
  const stages = engine.half.stages;
  console.log(`             of which created → relayed (commit, enqueue) p50 ${stages.createdToRelayed.p50} / p99 ${stages.createdToRelayed.p99} ms; relayed → fetched (in BullMQ) ${stages.relayedToFetched.p50} / ${stages.relayedToFetched.p99} ms; fetched → handler (worker loop, activation) ${stages.fetchedToHandler.p50} / ${stages.fetchedToHandler.p99} ms`);

  if (process.env.BENCH_ENGINE_ONLY) process.exit(0);
  const engineJobsPerSec = engine.instancesPerSec * JOBS_PER_INSTANCE;
  const camunda = await camundaClientBench(xml, N, JOBS_PER_INSTANCE, IN_FLIGHT, WORKER_CONCURRENCY);
  console.log(`Camunda client over /v2: ${round(camunda.jobsPerSec)} jobs/s in ${round(camunda.seconds, 2)} s (${round(camunda.jobsPerSec / engineJobsPerSec, 3)}× Weft's worker SDK)`);
  console.log(`             start→end latency p50 ${camunda.latencyP50} ms, p99 ${camunda.latencyP99} ms; ${camunda.jobCompletions} job completions recorded; Node CPU ${round(camunda.nodeCpuMsPerJob, 3)} ms per job (client and server)`);

  const bull = await bullmqBaseline(config.redisUrl, config.queuePrefix, N * JOBS_PER_INSTANCE, WORKER_CONCURRENCY);
  console.log(`bare BullMQ: ${round(bull.jobsPerSec)} jobs/s; dispatch latency p50 ${bull.dispatchP50} ms, p99 ${bull.dispatchP99} ms`);

  const reference = await bpmnEngineBaseline(N, IN_FLIGHT);
  console.log(`bpmn-engine: ${round(reference.instancesPerSec)} instances/s (in memory, nothing persisted)`);

  console.log(
    JSON.stringify({
      instances: N,
      instancesPerSec: round(engine.instancesPerSec),
      engineJobsPerSec: round(engineJobsPerSec),
      bullmqJobsPerSec: round(bull.jobsPerSec),
      ratio: round(engineJobsPerSec / bull.jobsPerSec, 3),
      camundaClientJobsPerSec: round(camunda.jobsPerSec),
      camundaClientRatio: round(camunda.jobsPerSec / engineJobsPerSec, 3),
      engineNodeCpuMsPerJob: round(engine.nodeCpuMsPerJob, 3),
      camundaClientNodeCpuMsPerJob: round(camunda.nodeCpuMsPerJob, 3),
      camundaClientLatencyP50Ms: camunda.latencyP50,
      camundaClientLatencyP99Ms: camunda.latencyP99,
      bpmnEngineInstancesPerSec: round(reference.instancesPerSec),
      latencyP50Ms: engine.latencyP50,
      latencyP99Ms: engine.latencyP99,
      dispatchP50Ms: engine.dispatchP50,
      dispatchP99Ms: engine.dispatchP99,
      cpuMsPerInstance: engine.cpuMsPerInstance === null ? null : round(engine.cpuMsPerInstance, 2),
      nodeCpuMsPerInstance: round(engine.nodeCpuMsPerInstance, 2),
      auditRowsPerInstance: round(engine.auditRowsPerInstance, 1),
      auditBytesPerInstance: round(engine.auditBytesPerInstance),
      auditStoredBytesPerInstance: round(engine.auditStoredBytesPerInstance),
      dispatchP50AtHalfLoadMs: engine.half.dispatchP50,
      dispatchP99AtHalfLoadMs: engine.half.dispatchP99,
      dispatchStagesAtHalfLoadMs: engine.half.stages,
    }),
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
