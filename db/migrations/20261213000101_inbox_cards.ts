import type { Knex } from 'knex';

/**
 * The inbox's cards and search (issue #12). A process names the variables its
 * task cards show in the task header `weft:cardVariables` (comma-separated);
 * `tasks.search_text` is the task's name, element and process ids and those
 * variables' values, kept by Postgres itself (a generated column), so the
 * engine's task insert stays as it is and the text can never be stale
 * against the row. A trigram index makes `ILIKE '%value%'` an index search,
 * which is what finding an order number among every task an admin sees needs.
 * pg_trgm is a trusted extension (Postgres 13+): the database's owner may
 * create it without superuser rights.
 *
 * The header's parsing here (split on commas, trim, skip empty names) is the
 * same as cardVariableNames() in engine/features/people/card-variables.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw(`
    CREATE FUNCTION weft_task_search_text(name text, process_id text, element_id text, headers jsonb, variables jsonb)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT concat_ws(' ', name, process_id, element_id, (
        SELECT string_agg(variables ->> btrim(n), ' ')
        FROM unnest(string_to_array(headers ->> 'weft:cardVariables', ',')) AS n
        WHERE btrim(n) <> ''
      ))
    $$`);
  await knex.raw(`ALTER TABLE tasks ADD COLUMN search_text text GENERATED ALWAYS AS (weft_task_search_text(name, process_id, element_id, headers, variables)) STORED`);
  await knex.raw('CREATE INDEX tasks_search_text_trgm_idx ON tasks USING gin (search_text gin_trgm_ops)');
  // A process's name matches its tasks by process id (process_definitions is small; see inbox-search.ts).
  await knex.raw('CREATE INDEX tasks_process_id_idx ON tasks (process_id)');
  // "Completed by me", newest first: one index range, however many tasks others completed.
  await knex.raw(`CREATE INDEX tasks_completed_by_idx ON tasks (completed_by, completed_at DESC, id DESC) WHERE state = 'COMPLETED'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS tasks_completed_by_idx');
  await knex.raw('DROP INDEX IF EXISTS tasks_process_id_idx');
  await knex.raw('DROP INDEX IF EXISTS tasks_search_text_trgm_idx');
  await knex.raw('ALTER TABLE tasks DROP COLUMN IF EXISTS search_text');
  await knex.raw('DROP FUNCTION IF EXISTS weft_task_search_text(text, text, text, jsonb, jsonb)');
}
