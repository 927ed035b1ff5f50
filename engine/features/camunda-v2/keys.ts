/**
 * Numeric keys for Camunda 8's clients (v2_keys): `keysOf` gives each Weft
 * id of a kind its key, created on first sight in one statement per batch;
 * `idOf` reads the Weft id back (undefined for a key never handed out, which
 * the routes answer with 404). Keys are strings of digits, as the clients
 * type them.
 */
import type { Knex } from 'knex';

export type KeyKind = 'deployment' | 'process-definition' | 'process-instance' | 'element-instance' | 'job' | 'user-task' | 'incident' | 'decision-definition' | 'decision-requirements' | 'form' | 'variable' | 'message' | 'signal';

const DIGITS = /^[1-9][0-9]{0,18}$/;
const MAX_KEY = 9223372036854775807n;

export async function keysOf(db: Knex, kind: KeyKind, ids: readonly string[]): Promise<Map<string, string>> {
  return (await keysOfKinds(db, { [kind]: ids }))[kind] ?? new Map();
}

/**
 * The keys of ids of several kinds in one statement (so one commit: the keys
 * of a page of results, or of an activated batch of jobs, cost one round
 * trip however many kinds they name).
 */
export async function keysOfKinds<K extends KeyKind>(db: Knex, request: Partial<Record<K, readonly string[]>>): Promise<Record<K, Map<string, string>>> {
  const kinds: string[] = [];
  const ids: string[] = [];
  const out = {} as Record<K, Map<string, string>>;
  for (const [kind, list] of Object.entries(request) as [K, readonly string[]][]) {
    out[kind] = new Map();
    for (const id of new Set(list)) {
      kinds.push(kind);
      ids.push(id);
    }
  }
  if (ids.length === 0) return out;
  // Insert the ones not seen yet, then read all: ON CONFLICT DO NOTHING returns nothing for the ones that existed.
  const { rows } = await db.raw(
    `WITH given AS (SELECT * FROM unnest(?::text[], ?::text[]) AS g(kind, id)),
          added AS (INSERT INTO v2_keys (kind, id) SELECT kind, id FROM given ON CONFLICT (kind, id) DO NOTHING RETURNING key, kind, id)
     SELECT key::text, kind, id FROM added
     UNION ALL
     SELECT k.key::text, k.kind, k.id FROM v2_keys k JOIN given g ON g.kind = k.kind AND g.id = k.id`,
    [kinds, ids],
  );
  for (const r of rows as { key: string; kind: K; id: string }[]) out[r.kind].set(r.id, r.key);
  // An id another transaction added while this statement waited on it is not in this statement's snapshot: read it now.
  for (const [n, id] of ids.entries()) {
    const kind = kinds[n] as K;
    if (out[kind].has(id)) continue;
    const row = await db('v2_keys').where({ kind, id }).first(db.raw('key::text AS key'));
    if (row) out[kind].set(id, row.key);
  }
  return out;
}

export async function keyOf(db: Knex, kind: KeyKind, id: string): Promise<string> {
  return (await keysOf(db, kind, [id])).get(id)!;
}

/** The Weft id behind a key of this kind; undefined when the text is no key or was never handed out for this kind. */
/** Digits within bigint's range: past it the text is no key (and Postgres would refuse the comparison). */
export const isKey = (text: string) => DIGITS.test(text) && BigInt(text) <= MAX_KEY;

export async function idOf(db: Knex, kind: KeyKind, key: string): Promise<string | undefined> {
  if (!isKey(key)) return undefined;
  const row = await db('v2_keys').where({ kind, key }).first('id');
  return row?.id;
}

/**
 * The Weft id behind an element instance's key. Element instance keys count
 * per process instance ("1", "2", …; the process's own is the instance id),
 * so the id names both: two instances' element "3" get two keys.
 */
export function elementInstanceId(instanceId: string, elementKey: string): string {
  return elementKey === instanceId ? instanceId : `${instanceId}:${elementKey}`;
}

/** A filter by keys: each given key read back to its Weft id and matched on its column. */
export type KeyFilter = [key: string | undefined, kind: KeyKind, column: string][];

/**
 * Narrows `q` to rows whose columns hold the ids behind the given keys (an
 * element instance key: the instance and element key columns, `[instance,
 * element]`); false when a key was never handed out, so nothing can match.
 */
export async function whereKeys(db: Knex, q: Knex.QueryBuilder, keys: KeyFilter, element?: { key: string | undefined; columns: [string, string] }): Promise<boolean> {
  for (const [key, kind, column] of keys) {
    if (key === undefined) continue;
    const id = await idOf(db, kind, key);
    if (id === undefined) return false;
    q.where(column, id);
  }
  if (element?.key !== undefined) {
    const id = await idOf(db, 'element-instance', element.key);
    if (id === undefined) return false;
    const [instanceId, elementKey = instanceId] = id.split(':');
    q.where({ [element.columns[0]]: instanceId, [element.columns[1]]: elementKey });
  }
  return true;
}
