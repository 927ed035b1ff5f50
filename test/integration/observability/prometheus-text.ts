/** A small reader of the Prometheus text format, for asserting on what GET /metrics answers. */

/** Samples by metric name: each with its labels and value. */
export type Samples = Map<string, { labels: Record<string, string>; value: number }[]>;

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL)) labels[name] = value.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    const list = out.get(match[1]) ?? [];
    list.push({ labels, value: Number(match[3]) });
    out.set(match[1], list);
  }
  return out;
}

/** The value of the sample of `name` whose labels are exactly `labels` (besides none); undefined when there is none. */
export function sample(samples: Samples, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels);
  const found = (samples.get(name) ?? []).find((s) => Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v));
  return found?.value;
}
