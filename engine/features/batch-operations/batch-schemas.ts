/**
 * The requests of /api/batch-operations. The filter is the very search the
 * instance list takes (instanceSearchFields, without its paging), strict: a
 * misspelt criterion is a 400, never a batch over every instance.
 */
import { z } from 'zod';
import { instanceSearchFields, pageFields, toInstanceSearch, variablePair } from '../../api/schemas.js';
import { MAX_BATCH_ITEMS } from './batch-settings.js';
import { BATCH_KIND_NAMES, BATCH_KINDS, type BatchKindName } from './kinds/index.js';

export const instanceFilter = z
  .strictObject(instanceSearchFields)
  .superRefine(variablePair)
  .transform(toInstanceSearch)
  .refine((f) => Object.values(f).some((v) => v !== undefined), {
    message: `must name at least one criterion (${Object.keys(instanceSearchFields).join(', ')}); or list the instances in instanceIds`,
  });

export type InstanceFilter = z.output<typeof instanceFilter>;

const reason = z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters');

/** The fields every kind shares; the rest of the body is the kind's parameters. */
const common = z.object({
  kind: z.enum(BATCH_KIND_NAMES, { error: `must be one of ${BATCH_KIND_NAMES.join(', ')}` }),
  filter: instanceFilter.optional(),
  instanceIds: z
    .array(
      // One spelling per id: an id listed twice (in either case) is one item.
      z.guid({ error: 'must be a process instance id (a UUID)' }).transform((id) => id.toLowerCase()),
      { error: 'must be a list of process instance ids' },
    )
    .min(1, 'must list at least one instance')
    .max(MAX_BATCH_ITEMS, `must list at most ${MAX_BATCH_ITEMS} instances`)
    .optional(),
  reason: reason.optional(),
});

export interface CreateBatchRequest {
  kind: BatchKindName;
  filter?: InstanceFilter;
  instanceIds?: string[];
  reason?: string;
  parameters: Record<string, unknown>;
}

/**
 * A creation body, parsed whole where the route declares it (the API
 * document shows its input): the common fields, open to the rest of the
 * body, which is the named kind's own parameters, checked strictly — one
 * 400 naming each bad field.
 */
export const createBatchBody = z
  .looseObject(common.shape, { error: 'must be a JSON object' })
  .superRefine((b, ctx) => {
    if ((b.filter === undefined) === (b.instanceIds === undefined)) ctx.addIssue({ code: 'custom', path: ['filter'], message: 'give either filter (an instance search) or instanceIds, not both and not neither' });
  })
  .transform((body, ctx): CreateBatchRequest => {
    const { kind, filter, instanceIds, reason, ...rest } = body;
    const parameters = BATCH_KINDS[kind].parameters.safeParse(rest);
    if (!parameters.success) {
      for (const issue of parameters.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return { kind, filter, instanceIds, reason, parameters: parameters.data as Record<string, unknown> };
  })
  .describe("The kind, the instances (filter or instanceIds), a reason, and the kind's parameters (retry: retries)");

const pageQuery = pageFields();

export const listBatchesQuery = z.object({
  state: z.enum(['RUNNING', 'COMPLETED', 'CANCELED']).optional(),
  kind: z.enum(BATCH_KIND_NAMES).optional(),
  ...pageQuery,
});

/** GET /api/batch-operations/:id: the batch, and a page of its items (of one state, if asked). */
export const batchItemsQuery = z.object({
  itemState: z.enum(['pending', 'done', 'failed', 'skipped']).optional(),
  ...pageQuery,
});

export const cancelBatchBody = z.strictObject({ reason: reason.optional() });
