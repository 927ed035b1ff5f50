/**
 * Rows sent as JSON (or a list of keys), as a FROM item or IN list the
 * planner sizes right.
 *
 * Postgres takes any set-returning function to yield 100 rows. Joined to a
 * table of a few thousand rows, that estimate makes a hash join over a
 * sequential scan of the whole table, so every write read all of `jobs`,
 * `instance_entries` and `process_instances` until they grew large enough
 * for the planner to change its mind (measured: 4,400 scans of `jobs` reading
 * 6 M rows to complete 960 instances). A LIMIT of the rows' own count tells
 * the planner how many there are, and it probes the index instead.
 *
 * The count must be the number of rows the JSON holds (never fewer, or rows
 * would be cut): callers pass the length of the very array they serialized.
 */
export function sized(select: string, count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`sized: a row count must be a whole number, not ${count}`);
  return `(${select} LIMIT ${count})`;
}

/** The uuids of a JSON array as a sized IN list (`json`: the jsonb it is bound as; `?::jsonb` by default). */
export function sizedUuids(count: number, json = '?::jsonb'): string {
  return sized(`SELECT jsonb_array_elements_text(${json})::uuid`, count);
}
