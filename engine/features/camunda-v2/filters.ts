/**
 * The filter values Camunda's search requests use, checked at the edge:
 * a plain value or an operator object. Only the operators Weft answers are
 * accepted; any other is a 400 naming it, never a filter silently dropped
 * (which would answer the wrong items).
 */
import type { Knex } from 'knex';
import { z } from 'zod';

export const keyText = z.string().regex(/^[0-9]{1,19}$/, 'expected a key: a string of digits');

/** The value itself or `{$eq: value}`. */
export const exact = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.strictObject({ $eq: schema })]).transform((v) => (v !== null && typeof v === 'object' && '$eq' in v ? v.$eq : v) as z.output<T>);

/** The value itself, `{$eq: value}` or `{$in: [values]}`: always a list of the values that match. */
export const anyOf = <T extends z.ZodType>(schema: T) =>
  z
    .union([schema, z.strictObject({ $eq: schema }), z.strictObject({ $in: z.array(schema).min(1).max(100) })])
    .transform((v) => (v !== null && typeof v === 'object' && '$in' in v ? v.$in : v !== null && typeof v === 'object' && '$eq' in v ? [v.$eq] : [v]) as z.output<T>[]);

const instant = z.iso.datetime({ offset: true });

/** A date-time filter: an exact instant or a range (`$gt`, `$gte`, `$lt`, `$lte`). */
export const dateRange = z
  .union([instant, z.strictObject({ $eq: instant.optional(), $gt: instant.optional(), $gte: instant.optional(), $lt: instant.optional(), $lte: instant.optional() })])
  .transform((v) => (typeof v === 'string' ? { $eq: v } : v));

export type DateRange = z.output<typeof dateRange>;

/** The SQL comparisons a date range means, for a knex `where` on `column`. */
export function applyDateRange(q: { where: (column: string, op: string, value: string) => unknown }, column: string, range: DateRange | undefined): void {
  if (!range) return;
  const ops: [keyof DateRange, string][] = [['$eq', '='], ['$gt', '>'], ['$gte', '>='], ['$lt', '<'], ['$lte', '<=']];
  for (const [name, op] of ops) if (range[name] !== undefined) q.where(column, op, range[name]!);
}

/** JSON text, as Camunda's clients show variable values: `"\"open\""` for the string open, `"42"` for the number. */
export const jsonText = z.string().max(8191).refine((s) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}, 'must be JSON text, as values are shown (a string in quotes: "\\"open\\"")');

export const sortOrder = z.enum(['ASC', 'DESC', 'asc', 'desc']).optional();

/** Camunda's string filter: a value, or `$eq`, `$neq`, `$in`, `$notIn`, `$exists`, `$like` (`*` any run, `?` one character). */
export const stringFilter = (schema: z.ZodString = z.string().max(255)) =>
  z
    .union([
      schema,
      z.strictObject({
        $eq: schema.optional(),
        $neq: schema.optional(),
        $in: z.array(schema).max(100).optional(),
        $notIn: z.array(schema).max(100).optional(),
        $exists: z.boolean().optional(),
        $like: schema.optional(),
      }),
    ])
    .transform((v) => (typeof v === 'string' ? { $eq: v } : v));

export type StringFilter = z.output<ReturnType<typeof stringFilter>>;

/** Camunda's integer filter: a value, or `$eq`, `$neq`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$exists`. */
export const integerFilter = z
  .union([
    z.number().int(),
    z.strictObject({
      $eq: z.number().int().optional(),
      $neq: z.number().int().optional(),
      $gt: z.number().int().optional(),
      $gte: z.number().int().optional(),
      $lt: z.number().int().optional(),
      $lte: z.number().int().optional(),
      $in: z.array(z.number().int()).max(100).optional(),
      $exists: z.boolean().optional(),
    }),
  ])
  .transform((v) => (typeof v === 'number' ? { $eq: v } : v));

export type IntegerFilter = z.output<typeof integerFilter>;

type Where = Knex.QueryBuilder;

/** A LIKE pattern from Camunda's wildcards, with SQL's own escaped. */
const likePattern = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');

export function applyString(q: Where, column: string, f: StringFilter | undefined): void {
  if (!f) return;
  if (f.$eq !== undefined) q.where(column, f.$eq);
  if (f.$neq !== undefined) q.where((w) => w.whereNot(column, f.$neq!).orWhereNull(column));
  if (f.$in !== undefined) q.whereIn(column, f.$in);
  if (f.$notIn !== undefined) q.where((w) => w.whereNotIn(column, f.$notIn!).orWhereNull(column));
  if (f.$exists !== undefined) (f.$exists ? q.whereNotNull(column) : q.whereNull(column));
  if (f.$like !== undefined) q.whereLike(column, likePattern(f.$like));
}

export function applyInteger(q: Where, column: string, f: IntegerFilter | undefined): void {
  if (!f) return;
  const ops: [keyof IntegerFilter, string][] = [['$eq', '='], ['$neq', '<>'], ['$gt', '>'], ['$gte', '>='], ['$lt', '<'], ['$lte', '<=']];
  for (const [name, op] of ops) if (f[name] !== undefined) q.where(column, op, f[name] as number);
  if (f.$in !== undefined) q.whereIn(column, f.$in);
  if (f.$exists !== undefined) (f.$exists ? q.whereNotNull(column) : q.whereNull(column));
}
