import type { Knex } from 'knex';

/**
 * The audit seal plans its queries for the chains at hand, every time
 * (issue #13).
 *
 * PL/pgSQL keeps each query's plan per connection. After five runs Postgres
 * may switch a query to a generic plan, made without the values of its
 * variables: `unnest(keys)` is then taken to be 100 chains, and while
 * `audit_chain_heads` is small a hash join over a sequential scan of it is the
 * cheaper-looking plan. The engine's pooled connections live for hours, so
 * that plan stayed as the table grew to one row per instance: measured in the
 * bench, 6,200 scans of `audit_chain_heads` reading 5.9 M rows to seal the
 * audit of 1,900 instances. With custom plans each insert's few chains are
 * found through the primary key, however large the table has grown; planning
 * the trigger's five small queries costs less than one such scan.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER FUNCTION audit_seal() SET plan_cache_mode = force_custom_plan');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER FUNCTION audit_seal() RESET plan_cache_mode');
}
