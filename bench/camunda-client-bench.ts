/**
 * The same three-task process worked by Camunda's own TypeScript client
 * (@camunda8/orchestration-cluster-api `createJobWorker`) over Weft's /v2
 * job routes: activation by long poll, completion by REST, against a Weft
 * started in this process with its HTTP API. Instances are started in the
 * engine as the engine bench starts them, in the same closed loop, so only
 * the worker side differs. Uses a database and a Redis prefix of its own.
 */
import { pino } from 'pino';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { benchConfig, dropDatabase } from './bench-database.js';
import { startWeft } from '../engine/weft.js';
import { percentile } from './stats.js';

export interface CamundaClientFigures {
  seconds: number;
  jobsPerSec: number;
  latencyP50: number;
  latencyP99: number;
  jobCompletions: number;
  /** Node CPU (user + system) per job in the measured phase: client and server, one process. */
  nodeCpuMsPerJob: number;
}

export async function camundaClientBench(xml: string, n: number, jobsPerInstance: number, inFlight: number, concurrency: number): Promise<CamundaClientFigures> {
  const config = benchConfig();
  const weft = await startWeft({ config, logger: pino({ level: 'warn' }), poolMax: 20 });
  const workers: ReturnType<ReturnType<typeof createCamundaClient>["createJobWorker"]>[] = [];
  try {
    await weft.engine.deploy([{ name: 'three-tasks.bpmn', content: xml }], 'bench');
    // Configured as a Camunda 8 Self-Managed user configures it: OAuth client credentials (Weft's /oauth/token).
    const camunda = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: `${weft.url}/v2`,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: `${weft.url}/oauth/token`,
        CAMUNDA_CLIENT_ID: 'admin',
        CAMUNDA_CLIENT_SECRET: weft.adminToken,
        CAMUNDA_TOKEN_AUDIENCE: 'weft',
      } as never,
      log: { level: 'silent' as never },
    });
    let launched = 0;
    const failures: unknown[] = [];
    const launch = () => {
      if (launched >= n) return;
      launched++;
      weft.engine.startInstance({ processId: 'bench-three-tasks', variables: { n: launched } }, 'bench').catch((e) => failures.push(e));
    };
    for (let i = 1; i <= jobsPerInstance; i++) {
      workers.push(
        camunda.createJobWorker({
          jobType: `bench-${i}`,
          maxParallelJobs: concurrency,
          jobTimeoutMs: 60_000,
          pollTimeoutMs: 10_000,
          jobHandler: (job) => {
            if (i === jobsPerInstance) launch();
            return job.complete({ [`step${i}`]: true });
          },
        }),
      );
    }
    const started = performance.now();
    const cpu = process.cpuUsage();
    let lastReport = started;
    for (let i = 0; i < Math.min(inFlight, n); i++) launch();
    for (;;) {
      const [{ count }] = await weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
      if (Number(count) >= n) break;
      if (failures.length > 0) throw failures[0];
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        console.log(`  … ${count}/${n} completed (Camunda client)`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const instances = await weft.db('process_instances').select('created_at', 'ended_at');
    const latency = instances.map((r) => r.ended_at.getTime() - r.created_at.getTime());
    const completions = await weft.db('audit').where({ type: 'JOB_COMPLETED' }).count({ count: '*' });
    return { seconds, jobsPerSec: (n * jobsPerInstance) / seconds, latencyP50: percentile(latency, 50), latencyP99: percentile(latency, 99), jobCompletions: Number(completions[0].count), nodeCpuMsPerJob: (used.user + used.system) / 1000 / (n * jobsPerInstance) };
  } finally {
    for (const w of workers) w.stop();
    await weft.close();
    await dropDatabase(config.databaseUrl);
  }
}
