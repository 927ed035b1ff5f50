/**
 * The hot path's transaction: two round trips instead of four.
 *
 * `BEGIN; SELECT … FOR UPDATE` go in one simple-protocol query, and the
 * effects statement goes with `COMMIT` in another. The simple protocol takes
 * no parameters, so values are inlined as escaped literals by `inline()`;
 * every value comes from the engine's own bindings, never spliced SQL.
 */
import type { Knex } from 'knex';
import type pg from 'pg';

export interface FastTransaction {
  /** Runs one statement inside the transaction. */
  query<R = Record<string, any>>(sql: string, bindings?: readonly Knex.RawBinding[]): Promise<R[]>;
}

/**
 * A test hook (EngineServiceDeps.inGroupCommit): awaited with the final
 * statement run and COMMIT not yet sent, given the transaction's backend pid.
 */
export type BeforeCommit = (backendPid: number) => Promise<void>;

export async function fastTransaction<T>(
  db: Knex,
  begin: { sql: string; bindings: readonly Knex.RawBinding[] },
  /** `laterRows`: the rows of each further statement in `begin.sql` (several statements, one round trip). */
  body: (firstRows: Record<string, any>[], tx: FastTransaction, laterRows: Record<string, any>[][]) => Promise<{ result: T; finalSql?: { sql: string; bindings: readonly Knex.RawBinding[] } }>,
  beforeCommit?: BeforeCommit,
): Promise<T> {
  const client = db.client as { acquireConnection(): Promise<pg.Client>; releaseConnection(c: pg.Client): Promise<void> };
  const conn = await client.acquireConnection();
  // Open before the first round trip: when `BEGIN; SELECT …` fails after its
  // BEGIN ran (a deadlock, a lock wait cancelled), the connection is left in an
  // aborted transaction, and without a ROLLBACK it would go back to the pool so;
  // behind PgBouncer (transaction mode) it would also keep its server connection
  // pinned. A ROLLBACK with no transaction open is only a warning.
  let open = true;
  try {
    const started = (await conn.query(`BEGIN; ${inline(conn, begin.sql, begin.bindings)}`)) as unknown as pg.QueryResult[];
    const tx: FastTransaction = {
      query: async (sql, bindings = []) => (await conn.query(inline(conn, sql, bindings))).rows,
    };
    const { result, finalSql } = await body(started[1].rows, tx, started.slice(2).map((r) => r.rows));
    if (finalSql && beforeCommit) await heldCommit(conn, finalSql, beforeCommit);
    else await conn.query(finalSql ? `${inline(conn, finalSql.sql, finalSql.bindings)}; COMMIT` : 'COMMIT');
    open = false;
    return result;
  } finally {
    if (open) await conn.query('ROLLBACK').catch(() => undefined);
    await client.releaseConnection(conn);
  }
}

/**
 * The test hook's way to commit: the final statement sent on its own, so the
 * transaction holds its rows while `beforeCommit` waits, then COMMIT (two
 * round trips and a pid query where the hot path makes one).
 */
async function heldCommit(conn: pg.Client, finalSql: { sql: string; bindings: readonly Knex.RawBinding[] }, beforeCommit: BeforeCommit): Promise<void> {
  await conn.query(inline(conn, finalSql.sql, finalSql.bindings));
  const { rows } = await conn.query('SELECT pg_backend_pid() AS pid');
  await beforeCommit(rows[0].pid);
  await conn.query('COMMIT');
}

/**
 * Runs several statements in one round trip; a multi-statement query is one
 * implicit transaction in Postgres, so they all commit or none does. With
 * the test hook `beforeCommit`, they run in an explicit transaction instead,
 * held open before COMMIT while the hook waits.
 */
export async function runStatements(db: Knex, statements: { sql: string; bindings: readonly Knex.RawBinding[] }[], beforeCommit?: BeforeCommit): Promise<void> {
  if (statements.length === 0) return;
  if (beforeCommit) {
    const all = { sql: statements.map((s) => s.sql).join(';\n'), bindings: statements.flatMap((s) => s.bindings) };
    return fastTransaction(db, { sql: 'SELECT 1', bindings: [] }, async () => ({ result: undefined, finalSql: all }), beforeCommit);
  }
  const client = db.client as { acquireConnection(): Promise<pg.Client>; releaseConnection(c: pg.Client): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    await conn.query(statements.map((s) => inline(conn, s.sql, s.bindings)).join(';\n'));
  } finally {
    await client.releaseConnection(conn);
  }
}

/** Replaces each `?` with the escaped literal of its binding. */
export function inline(conn: Pick<pg.Client, 'escapeLiteral'>, sql: string, bindings: readonly Knex.RawBinding[]): string {
  const pieces = sql.split('?');
  if (pieces.length - 1 !== bindings.length) throw new Error(`SQL has ${pieces.length - 1} placeholders for ${bindings.length} bindings`);
  let out = pieces[0];
  for (let i = 0; i < bindings.length; i++) out += literal(conn, bindings[i]) + pieces[i + 1];
  return out;
}

function literal(conn: Pick<pg.Client, 'escapeLiteral'>, value: Knex.RawBinding): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot bind ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return conn.escapeLiteral(value.toISOString());
  if (typeof value === 'string') return conn.escapeLiteral(value);
  throw new Error(`Cannot inline a binding of type ${typeof value}`);
}
