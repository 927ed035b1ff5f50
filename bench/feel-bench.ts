/**
 * `npx tsx bench/feel-bench.ts`: what the bounds on FEEL cost per evaluation.
 *
 * Evaluates expressions of the kinds the engine evaluates per token move
 * (conditions, mappings, job types) and a few heavier ones, plain (feelin's
 * `evaluate`) and bounded (`evaluateFeel`), interleaved in rounds so machine
 * load hits both alike; reports the median CPU µs (all threads of the
 * process, so the watchdog thread counts) per evaluation of each: CPU time
 * rather than wall time, as a busy machine stretches wall time. Its last line
 * is one JSON object.
 */
import { evaluate } from 'feelin';
import { evaluateFeel } from '../engine/runtime/feel.js';

const NOW = '2026-01-01T00:00:00.000Z';
const variables = { amount: 1200, order: { status: 'ok', lines: [{ price: 10 }, { price: 20 }] }, region: 'eu', n: 3 };
const expressions: Record<string, string> = {
  condition: 'amount > 1000 and order.status = "ok"',
  mapping: 'order.status + "/" + region',
  filter: 'order.lines[1].price * n',
  jobType: '"charge-" + region',
  functionCall: 'sum(order.lines.price) + count(order.lines)',
  forLoop: 'for line in order.lines return line.price * 2',
};
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const PER_ROUND = Number(process.env.PER_ROUND ?? 300);

function perEvaluationUs(run: () => unknown): number {
  const before = process.cpuUsage();
  for (let i = 0; i < PER_ROUND; i++) run();
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / PER_ROUND;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results: Record<string, { plainUs: number; boundedUs: number; overheadUs: number }> = {};
for (const [name, expression] of Object.entries(expressions)) {
  const plain: number[] = [];
  const bounded: number[] = [];
  perEvaluationUs(() => evaluateFeel(expression, variables, NOW)); // warm both paths
  perEvaluationUs(() => evaluate(expression, variables));
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(perEvaluationUs(() => evaluate(expression, variables)));
    bounded.push(perEvaluationUs(() => evaluateFeel(expression, variables, NOW)));
  }
  const p = median(plain);
  const b = median(bounded);
  results[name] = { plainUs: Math.round(p), boundedUs: Math.round(b), overheadUs: Math.round(b - p) };
  console.log(`${name.padEnd(14)} plain ${p.toFixed(0).padStart(5)} µs  bounded ${b.toFixed(0).padStart(5)} µs  (+${(b - p).toFixed(0)} µs)`);
}
console.log(JSON.stringify(results));
