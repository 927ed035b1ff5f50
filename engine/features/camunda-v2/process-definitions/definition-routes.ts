/**
 * /v2/process-definitions: search, get and the XML, allowed to the callers
 * of GET /api/process-definitions and GET /api/process-definitions/:key/xml
 * (everyone: the inbox shows a task's diagram). The XML is text/xml, which
 * the client reads as a string (application/xml it would read as a Blob),
 * and, as on /api, a download that is never rendered as a page of this
 * origin.
 */
import type express from 'express';
import { parseBody } from '../../../api/schemas.js';
import { sendStoredFile } from '../../../api/security-headers.js';
import { WeftError } from '../../../errors.js';
import type { PartDeps } from '../deployment-routes.js';
import { idOf } from '../keys.js';
import { searchResult, window } from '../search.js';
import { allow } from '../v2-access.js';
import { definitionResults, definitionRow, filteredDefinitions, searchDefinitions } from './definition-query.js';
import { definitionSearchBody } from './definition-schemas.js';

export function processDefinitionPart(deps: PartDeps) {
  const { db, engine } = deps;
  const notFound = (key: string) => new WeftError('PROCESS_NOT_FOUND', `Process definition with key '${key}' not found`);
  const definitionId = async (key: string) => {
    const id = await idOf(db, 'process-definition', key);
    if (!id) throw notFound(key);
    return id;
  };
  const readers = allow(deps.access('GET /process-definitions'), 'GET /process-definitions');
  const xmlReaders = allow(deps.access('GET /process-definitions/:key/xml'), 'GET /process-definitions/:key/xml');

  return (router: express.Router) => {
    router.post('/process-definitions/search', readers, async (req, res) => {
      const body = parseBody(definitionSearchBody, req.body);
      const { offset, limit } = window(body?.page);
      const found = await filteredDefinitions(db, body?.filter ?? {});
      if (!found) return void res.json(searchResult([], 0, offset));
      const { items, total } = await searchDefinitions(db, found.q, body?.sort ?? [], offset, limit);
      res.json(searchResult(items, total, offset));
    });

    router.get('/process-definitions/:processDefinitionKey', readers, async (req, res) => {
      const key = String(req.params.processDefinitionKey);
      const row = await definitionRow(db, await definitionId(key));
      if (!row) throw notFound(key);
      res.json((await definitionResults(db, [row]))[0]);
    });

    router.get('/process-definitions/:processDefinitionKey/xml', xmlReaders, async (req, res) => {
      const key = String(req.params.processDefinitionKey);
      const id = await definitionId(key);
      const xml = await engine.definitionXml(id);
      sendStoredFile(res, `${key}.bpmn`, 'text/xml', xml);
    });
  };
}
