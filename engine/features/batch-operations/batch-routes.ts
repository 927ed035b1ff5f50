/**
 * /api/batch-operations: make a batch over a search or a list of instances,
 * follow its progress item by item, and stop it. Operations' work, as
 * cancelling or retrying one instance is (OPERATORS).
 */
import type { Knex } from 'knex';
import { OPERATORS } from '../../api/access.js';
import { routes, type ApiRoute } from '../../api/api-routes.js';
import { actorOf } from '../../api/auth.js';
import { idParam, pathId } from '../../api/schemas.js';
import { bodyOf, queryOf } from '../../api/route-input.js';
import { createBatch } from './batch-creation.js';
import type { BatchRepository } from './batch-repository.js';
import { batchItemsQuery, cancelBatchBody, createBatchBody, listBatchesQuery } from './batch-schemas.js';

const batchParams = idParam('batch operation');

export function batchRoutes(deps: { db: Knex; repo: BatchRepository; wake: () => void }): ApiRoute[] {
  const batchId = (id: string | string[]) => pathId(id, 'BATCH_OPERATION_NOT_FOUND', 'Batch operation');

  return routes('/batch-operations', (router) => {
    router.post('/', { access: OPERATORS, summary: 'Cancel, retry or migrate many instances as one durable background operation', body: createBatchBody }, async (req, res) => {
      const batch = await createBatch(deps.db, bodyOf(res, createBatchBody), actorOf(res).id);
      // Committed: this engine starts on it now; the others find it on their next look.
      deps.wake();
      res.status(201).json(batch);
    });
    router.get('/', { access: OPERATORS, summary: 'Batch operations, newest first', query: listBatchesQuery }, async (req, res) => {
      res.json(await deps.repo.list(queryOf(res, listBatchesQuery)));
    });
    router.get('/:id', { access: OPERATORS, summary: "A batch operation's progress and a page of its items' outcomes", params: batchParams, query: batchItemsQuery }, async (req, res) => {
      const id = batchId(req.params.id);
      const query = queryOf(res, batchItemsQuery);
      const batch = await deps.repo.get(id);
      res.json({ ...batch, items: await deps.repo.items(id, query) });
    });
    // A cancellation is a thing made (Camunda's and Google's APIs say so too): items not yet worked are skipped.
    router.post('/:id/cancellation', { access: OPERATORS, summary: 'Stop a batch operation: items not yet worked are skipped', params: batchParams, body: cancelBatchBody }, async (req, res) => {
      const id = batchId(req.params.id);
      const { reason } = bodyOf(res, cancelBatchBody);
      res.json(await deps.repo.cancel(id, actorOf(res).id, reason));
    });
  });
}
