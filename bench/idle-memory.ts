/**
 * `npm run bench:memory [-- N]`: what an idle engine process uses with N
 * instances (default 100,000) waiting at a user task. State lives in Postgres,
 * so the figure should not grow with N: it is measured with none waiting and
 * with N waiting, each in a fresh engine process.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import pg from 'pg';
import { loadConfig } from '../engine/config.js';
import { startWeft } from '../engine/weft.js';
import { pool } from './stats.js';
import { idleEngineMemory as idleEngine } from './bench-support.js';

const N = Number(process.argv[2] ?? process.env.BENCH_WAITING ?? 100_000);
const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://weft.dev/bench">
  <bpmn:process id="bench-waiting" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="reviewers" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function main() {
  const base = loadConfig();
  const name = `weft_memory_${randomBytes(4).toString('hex')}`;
  const databaseUrl = base.databaseUrl.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  const weft = await startWeft({ config: { ...base, databaseUrl, port: 0, queuePrefix: `weft-mem-${randomBytes(3).toString('hex')}` }, logger: pino({ level: 'warn' }), http: false, background: false });
  try {
    await weft.engine.deploy([{ name: 'waiting.bpmn', content: xml }], 'bench');
    await weft.close();
    const empty = idleEngine(databaseUrl);
    console.log(`idle engine, no instances:          rss ${empty.rssMb} MB, heap ${empty.heapUsedMb} MB`);

    const filler = await startWeft({ config: { ...base, databaseUrl, port: 0, queuePrefix: 'weft-mem-fill' }, logger: pino({ level: 'warn' }), http: false, migrate: false, background: false });
    const started = performance.now();
    await pool(N, 16, async () => {
      await filler.engine.startInstance({ processId: 'bench-waiting', variables: { amount: 100, note: 'waiting for review' } }, 'bench');
    });
    console.log(`started ${N} instances waiting at a user task in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await filler.close();

    const loaded = idleEngine(databaseUrl);
    console.log(`idle engine, ${N} waiting:   rss ${loaded.rssMb} MB, heap ${loaded.heapUsedMb} MB`);
    console.log(JSON.stringify({ waiting: N, idleRssMbEmpty: empty.rssMb, idleRssMbWaiting: loaded.rssMb, heapMbEmpty: empty.heapUsedMb, heapMbWaiting: loaded.heapUsedMb }));
  } finally {
    const admin = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
