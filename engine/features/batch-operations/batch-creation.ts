/**
 * Making a batch: the set of instances is fixed here. A filter is run
 * through the engine's own instance search (Queries.listInstances, what GET
 * /api/process-instances answers) page by page inside one REPEATABLE READ,
 * read-only transaction, so every page sees the same snapshot: no instance
 * is missed or counted twice while others start or end, and an instance
 * started after the batch is made is not in it.
 *
 * The batch, its items and its audit are then stored in a transaction of
 * the usual isolation: the audit's hash chain serialises its writers on the
 * chain's head row, which a REPEATABLE READ writer could not update after a
 * concurrent one had (a serialization failure, two batches made at once).
 */
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import { Queries } from '../../persistence/queries.js';
import { BatchRepository } from './batch-repository.js';
import type { CreateBatchRequest, InstanceFilter } from './batch-schemas.js';
import { MAX_BATCH_ITEMS } from './batch-settings.js';
import type { BatchOperationView } from './batch-views.js';

const PAGE = 500;

export async function createBatch(db: Knex, req: CreateBatchRequest, actor: string): Promise<BatchOperationView> {
  const ids = req.instanceIds
    ? [...new Set(req.instanceIds)]
    : await db.transaction((trx) => matchingInstances(trx, req.filter!), { isolationLevel: 'repeatable read', readOnly: true });
  return db.transaction((trx) => new BatchRepository(db).create(trx, req, ids, actor));
}

async function matchingInstances(trx: Knex.Transaction, filter: InstanceFilter): Promise<string[]> {
  const search = new Queries(trx);
  // The list API's search as it is: a criterion added to it is one a batch's filter takes too.
  const query: Omit<Parameters<Queries['listInstances']>[0], 'limit' | 'offset'> = filter;
  const first = await search.listInstances({ ...query, limit: PAGE, offset: 0 });
  if (first.total > MAX_BATCH_ITEMS) {
    throw new WeftError('BATCH_OPERATION_TOO_LARGE', `The filter matches ${first.total} instances; one batch takes at most ${MAX_BATCH_ITEMS}: narrow the filter or make several batches`, {
      matched: first.total,
      max: MAX_BATCH_ITEMS,
    });
  }
  const ids = first.items.map((i) => i.id);
  for (let offset = PAGE; offset < first.total; offset += PAGE) {
    ids.push(...(await search.listInstances({ ...query, limit: PAGE, offset })).items.map((i) => i.id));
  }
  // Oldest first: the items are worked in this order.
  return ids.reverse();
}
