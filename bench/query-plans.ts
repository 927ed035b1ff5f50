/**
 * The query plans of a page read: the statements it sends are captured from
 * knex's 'query' event (the SQL and bindings as they go to Postgres), then
 * each is run again under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) with the
 * same bindings. Printed: each plan's top nodes, and any sequential scan of
 * a table that is not small.
 */
import type { Knex } from 'knex';
import pg from 'pg';
import { round } from './stats.js';

/**
 * A sequential scan of a table with at least this many rows is flagged. Below
 * it a scan can be the planner's right choice: at 20,000 tasks it reads the
 * claimable tab's 700 pages whole rather than OR two index bitmaps.
 */
const LARGE_TABLE_ROWS = 100_000;
const TOP_LINES = 8;

export interface Statement {
  sql: string;
  bindings: unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Actual Total Time': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

export interface StatementPlan {
  sql: string;
  executionMs: number;
  /** The plan's first two levels, every node that reads a table or an index and the bitmaps' ORs and ANDs, depth-first, one line each. */
  top: string[];
  /** `Seq Scan on <table> (~rows)` for each large table scanned whole. */
  seqScans: string[];
}

/** Runs `read` once and returns what it sent to Postgres, in order, each distinct statement once. */
export async function captureStatements(db: Knex, read: () => Promise<unknown>): Promise<Statement[]> {
  const seen = new Map<string, Statement>();
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    const statement = { sql: q.sql, bindings: q.bindings ?? [] };
    seen.set(JSON.stringify(statement), statement);
  };
  db.on('query', listener);
  try {
    await read();
  } finally {
    db.off('query', listener);
  }
  return [...seen.values()];
}

export async function explainAll(databaseUrl: string, statements: Statement[]): Promise<StatementPlan[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ relname: string; reltuples: number }>(`SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`);
    const sizes = new Map(rows.map((r) => [r.relname, Number(r.reltuples)]));
    const plans: StatementPlan[] = [];
    for (const s of statements) {
      // Once plain first: this connection is new, and its first touch of shared memory is not what a warm read costs (read-timings.ts).
      await client.query(s.sql, s.bindings);
      const result = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${s.sql}`, s.bindings);
      const [{ Plan: plan, 'Execution Time': executionMs }] = result.rows[0]['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[];
      const nodes = flatten(plan);
      const top = nodes.filter(({ node, depth }) => depth <= 1 || reads(node) || node['Node Type'].startsWith('Bitmap')).slice(0, TOP_LINES).map(({ node, depth }) => `${'  '.repeat(depth)}${describe(node)}`);
      top[0] += `, buffers hit ${plan['Shared Hit Blocks']} read ${plan['Shared Read Blocks']}`;
      plans.push({
        sql: s.sql,
        executionMs: round(executionMs, 2),
        top,
        seqScans: nodes
          .map(({ node }) => node)
          .filter((n) => n['Node Type'] === 'Seq Scan' && (sizes.get(n['Relation Name']!) ?? 0) >= LARGE_TABLE_ROWS)
          .map((n) => `Seq Scan on ${n['Relation Name']} (~${sizes.get(n['Relation Name']!)} rows)`),
      });
    }
    return plans;
  } finally {
    await client.end();
  }
}

export function planLines(name: string, plans: StatementPlan[]): string[] {
  const lines = [`plans of ${name}: ${plans.length} statements`];
  for (const p of plans) {
    lines.push(`  ${p.executionMs} ms  ${p.sql.replace(/\s+/g, ' ').slice(0, 140)}`);
    for (const line of p.top) lines.push(`      ${line}`);
    for (const seq of p.seqScans) lines.push(`      !! ${seq}`);
  }
  return lines;
}

function flatten(node: PlanNode, depth = 0): { node: PlanNode; depth: number }[] {
  return [{ node, depth }, ...(node.Plans ?? []).flatMap((child) => flatten(child, depth + 1))];
}

const reads = (node: PlanNode) => Boolean(node['Relation Name'] || node['Index Name']);

function describe(node: PlanNode): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const loops = node['Actual Loops'] > 1 ? ` x${node['Actual Loops']} loops` : '';
  return `${node['Node Type']}${on}${using}: rows ${node['Actual Rows']}${loops}, ${round(node['Actual Total Time'], 2)} ms`;
}
