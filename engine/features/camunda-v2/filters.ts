/**
 * The filter values Camunda's search requests use, checked at the edge:
 * a plain value or an operator object. Only the operators Weft answers are
 * accepted; any other is a 400 naming it, never a filter silently dropped
 * (which would answer the wrong items).
 */
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

export const sortOrder = z.enum(['ASC', 'DESC', 'asc', 'desc']).optional();
