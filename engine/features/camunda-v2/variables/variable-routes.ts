/**
 * /v2/variables: search (values as JSON text, cut at 8191 characters unless
 * `truncateValues=false`) and get (whole), allowed to the callers of
 * GET /api/process-instances/:id — who may read an instance's variables.
 */
import type express from 'express';
import { parseBody } from '../../../api/schemas.js';
import { WeftError } from '../../../errors.js';
import type { PartDeps } from '../deployment-routes.js';
import { searchResult, window } from '../search.js';
import { allow } from '../v2-access.js';
import { filteredVariables, searchVariables, variableByKey } from './variable-query.js';
import { variableSearchBody, variableSearchQuery } from './variable-schemas.js';

export function variablePart(deps: PartDeps) {
  const { db } = deps;
  const readers = allow(deps.access('GET /process-instances/:id'), 'GET /process-instances/:id');

  return (router: express.Router) => {
    router.post('/variables/search', readers, async (req, res) => {
      const { truncateValues } = variableSearchQuery.parse(req.query);
      const body = parseBody(variableSearchBody, req.body);
      const { offset, limit } = window(body?.page);
      const found = await filteredVariables(db, body?.filter ?? {});
      if (!found) return void res.json(searchResult([], 0, offset));
      const { items, total } = await searchVariables(db, found.q, body?.sort ?? [], offset, limit, truncateValues !== 'false');
      res.json(searchResult(items, total, offset));
    });

    router.get('/variables/:variableKey', readers, async (req, res) => {
      const variable = await variableByKey(db, String(req.params.variableKey));
      if (!variable) throw new WeftError('NOT_FOUND', `Variable with key '${req.params.variableKey}' not found`);
      res.json(variable);
    });
  };
}
