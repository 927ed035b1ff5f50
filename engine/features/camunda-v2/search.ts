/**
 * The search shape Camunda's clients share: `{filter, sort, page}` in, with
 * `page` one of `{limit}`, `{from, limit}` or a cursor (`{after, limit}`),
 * and `{items, page: {totalItems, hasMoreTotalItems, startCursor,
 * endCursor}}` out. Weft pages by offset underneath; a cursor is that offset,
 * opaque to the client.
 */
import { z } from 'zod';
import { WeftError } from '../../errors.js';

export const DEFAULT_TENANT = '<default>';
/** Weft has one tenant; Camunda's name for it is accepted and echoed. */
export const tenantId = z.literal(DEFAULT_TENANT, { error: `tenantId must be '${DEFAULT_TENANT}': Weft has one tenant` });

/** How deep a page may start: Weft pages by offset, and a deep offset reads every row before it. */
export const MAX_OFFSET = 10_000;

const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'not a cursor this server handed out');
export const pageRequest = z
  .strictObject({
    limit: z.number().int().min(1).max(1000).optional(),
    from: z.number().int().min(0).max(MAX_OFFSET, `must be at most ${MAX_OFFSET}: narrow the filter to reach further`).optional(),
    after: cursor.optional(),
    before: cursor.optional(),
  })
  .optional();

export type PageRequest = z.output<typeof pageRequest>;

const encode = (offset: number) => Buffer.from(String(offset)).toString('base64url');
function decode(value: string): number {
  const n = Number(Buffer.from(value, 'base64url').toString('utf8'));
  if (Number.isInteger(n) && n > MAX_OFFSET) throw new WeftError('BAD_REQUEST', `page: the cursor goes past ${MAX_OFFSET} items; narrow the filter to reach further`);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The offset and limit a page request asks for. */
export function window(page: PageRequest): { offset: number; limit: number } {
  const limit = page?.limit ?? 100;
  if (page?.after) return { offset: decode(page.after), limit };
  if (page?.before) return { offset: Math.max(0, decode(page.before) - limit), limit };
  return { offset: page?.from ?? 0, limit };
}

export function searchResult<T>(items: T[], total: number, offset: number) {
  const empty = items.length === 0;
  return {
    items,
    page: { totalItems: total, hasMoreTotalItems: false, startCursor: empty ? null : encode(offset), endCursor: empty ? null : encode(offset + items.length) },
  };
}
