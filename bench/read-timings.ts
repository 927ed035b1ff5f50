/**
 * Times a page read warm: untimed calls on the `warm` inputs first, then one
 * timed call on each of `inputs`, one after another, each another group or
 * instance than those warmed on, so no figure is one cached answer; p50 and
 * max are checked against the bound.
 *
 * Warm means the connections too: a Postgres backend's first touch of each
 * page of shared memory is a page fault (no huge pages), which made a fresh
 * connection's first inbox query 100–200 ms where the next took 15.
 */
import { percentile, round } from './stats.js';

export interface ReadTiming {
  name: string;
  runs: number;
  p50Ms: number;
  maxMs: number;
  boundMs: number;
  p50Within: boolean;
  maxWithin: boolean;
}

export async function timeRead<I>(name: string, read: (input: I) => Promise<unknown>, inputs: I[], options: { warm: I[]; boundMs: number }): Promise<ReadTiming> {
  for (const input of options.warm) await read(input);
  const times: number[] = [];
  for (const input of inputs) {
    const began = performance.now();
    await read(input);
    times.push(performance.now() - began);
  }
  const p50Ms = round(percentile(times, 50));
  const maxMs = round(Math.max(...times));
  return { name, runs: times.length, p50Ms, maxMs, boundMs: options.boundMs, p50Within: p50Ms <= options.boundMs, maxWithin: maxMs <= options.boundMs };
}

export function timingLine(t: ReadTiming): string {
  const verdict = (within: boolean) => (within ? 'PASS' : 'FAIL');
  return `${t.name} (${t.runs} runs): p50 ${t.p50Ms} ms ${verdict(t.p50Within)}, max ${t.maxMs} ms ${verdict(t.maxWithin)} (bound ${t.boundMs} ms)`;
}
