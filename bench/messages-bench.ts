/**
 * `npm run bench:messages [-- N]`: N instances (default 5,000) wait for a
 * message each, by its own correlation key; 8 concurrent publishers send the
 * N messages through the REST API of two engine processes (alternately).
 * Prints the correlation rate; checks that every instance got exactly its
 * message, once (and fails otherwise), asserting nothing about time.
 *
 * Uses a database of its own (created and dropped) and a Redis prefix of its own.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { benchConfig, dropDatabase } from './bench-database.js';
import { startWeft } from '../engine/weft.js';
import { publishTo, startHttpEngines, type HttpEngine } from '../test/support/http-engines.js';
import { percentile, pool, round } from './stats.js';

const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 5000);
const PUBLISHERS = Number(process.env.BENCH_PUBLISHERS ?? 8);
const xml = readFileSync(new URL('./await-message.bpmn', import.meta.url), 'utf8');

async function main() {
  console.log(`Weft message bench: ${N} waiting instances, ${PUBLISHERS} publishers, two engine processes`);
  const config = benchConfig();
  const weft = await startWeft({ config, logger: pino({ level: 'warn' }), http: false, background: false, poolMax: 20 });
  let engines: HttpEngine[] = [];
  try {
    await weft.engine.deploy([{ name: 'await-message.bpmn', content: xml }], 'bench');
    const key = (i: number) => `order-${i}`;
    const ids: string[] = [];
    await pool(N, 16, async (i) => {
      ids[i] = (await weft.engine.startInstance({ processId: 'bench-await-message', variables: { orderId: key(i) } }, 'bench')).id;
    });
    console.log(`  ${N} instances waiting`);
    engines = await startHttpEngines(2, config);

    const latency: number[] = [];
    const started = performance.now();
    await pool(N, PUBLISHERS, async (i) => {
      const sent = performance.now();
      const answer = await publishTo(engines[i % 2].url, { name: 'bench-reply', correlationKey: key(i), variables: { reply: key(i) } });
      latency.push(performance.now() - sent);
      if (answer.correlated.length !== 1 || answer.correlated[0].processInstanceId !== ids[i]) throw new Error(`message ${key(i)} reached ${JSON.stringify(answer.correlated)}, not ${ids[i]}`);
    });
    const seconds = (performance.now() - started) / 1000;

    // Checked in Postgres, the truth: every instance completed with its own message, taken once.
    const correlated = await weft.db('audit').where({ type: 'MESSAGE_CORRELATED' }).select('process_instance_id', 'payload');
    const byInstance = new Map(correlated.map((c) => [c.process_instance_id, c.payload]));
    const wrong = ids.filter((id, i) => byInstance.get(id)?.variables?.reply !== key(i));
    const [{ count: completed }] = await weft.db('process_instances').where({ status: 'COMPLETED' }).count({ count: '*' });
    if (correlated.length !== N || byInstance.size !== N || wrong.length > 0 || Number(completed) !== N) {
      throw new Error(`${correlated.length} correlations for ${byInstance.size} instances, ${wrong.length} with another message, ${completed} completed (expected ${N} of each, none wrong)`);
    }
    const rate = N / seconds;
    console.log(`messages:    ${round(rate)} correlations/s in ${round(seconds, 2)} s; publish latency p50 ${round(percentile(latency, 50), 1)} ms, p99 ${round(percentile(latency, 99), 1)} ms`);
    console.log(`             every instance got exactly its message, once (${N} correlations, ${N} instances completed)`);
    console.log(JSON.stringify({ messages: N, publishers: PUBLISHERS, engines: 2, correlationsPerSec: round(rate), latencyP50Ms: round(percentile(latency, 50), 1), latencyP99Ms: round(percentile(latency, 99), 1) }));
  } finally {
    for (const e of engines) e.process.kill();
    await Promise.all(engines.map((e) => e.process.exited));
    await weft.close();
    await dropDatabase(config.databaseUrl);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
