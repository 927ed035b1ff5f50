/**
 * One engine process of `npm run bench -- --engines N`, forked by
 * engine-processes.ts: an engine as the single-engine bench runs it (no
 * HTTP, pool of 20, the default background loops), on DATABASE_URL and
 * WEFT_QUEUE_PREFIX, with its own workers for the three job types.
 *
 * The starts run in this process's own closed loop, through its in-process
 * EngineService (as the single-engine bench does), not over HTTP from the
 * driver: the figures are the engines', not a driver's or an HTTP layer's.
 * When one of this engine's workers finishes an instance's last task, it
 * starts another; which instance number is next is a Redis counter the
 * engines share (one INCR per start), so the loop keeps IN_FLIGHT instances
 * in flight over all engines and stops at exactly BENCH_INSTANCES, whichever
 * engine's workers happen to finish the last tasks.
 *
 * Talks to the driver over IPC (messages in engine-processes.ts): "ready"
 * once its workers are up; on "go" it starts its share of the first
 * instances and begins its CPU reading; on "report" it sends what it
 * started, its process.cpuUsage() since "go" and when its workers picked up
 * each job; on "stop" it closes and exits.
 */
import { pino } from 'pino';
import { loadConfig } from '../engine/config.js';
import { startWeft } from '../engine/weft.js';
import { PROCESS_ID, startBenchWorkers } from './three-tasks-workload.js';
import type { ToDriver, ToEngine } from './engine-processes.js';

const instances = Number(process.env.BENCH_INSTANCES);
const engine = Number(process.env.BENCH_ENGINE);
const ticketKey = process.env.BENCH_TICKET_KEY!;
const send = (message: ToDriver) => process.send!(message);
const fail = (error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
};

const weft = await startWeft({ config: { ...loadConfig(), port: 0 }, logger: pino({ level: 'warn' }), http: false, poolMax: 20, migrate: false });
const pickedUp = new Map<string, number>();
let started = 0;
const launch = () => {
  weft.redis
    .incr(ticketKey)
    .then((n) => {
      if (n > instances) return;
      started++;
      return weft.engine.startInstance({ processId: PROCESS_ID, variables: { n } }, 'bench');
    })
    .catch(fail);
};
startBenchWorkers(weft, pickedUp, launch, (type) => `bench-engine-${engine}:${type}`);

let cpu = process.cpuUsage();
process.on('message', (message: ToEngine) => {
  if (message.type === 'go') {
    cpu = process.cpuUsage();
    for (let i = 0; i < message.first; i++) launch();
  } else if (message.type === 'report') {
    const used = process.cpuUsage(cpu);
    send({ type: 'report', started, cpuMs: (used.user + used.system) / 1000, pickedUp: [...pickedUp] });
  } else if (message.type === 'stop') {
    weft.close().then(() => process.exit(0), fail);
  }
});
send({ type: 'ready' });
