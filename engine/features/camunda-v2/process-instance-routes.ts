/**
 * /v2/process-instances: create (by id and version, or by definition key;
 * optionally waiting for the end), get, search, cancel — each allowed to the
 * callers of its /api route (start: POST /api/process-instances; the rest:
 * GET /api/process-instances, GET …/:id, POST …/:id/cancel) and running the
 * same service calls.
 */
import type express from 'express';
import { actorOf } from '../../api/auth.js';
import { WeftError } from '../../errors.js';
import type { InstanceSummary } from '../../service/types.js';
import type { PartDeps } from './deployment-routes.js';
import { awaitEnd } from './await-end.js';
import { instanceResults, weftStates } from './instance-view.js';
import { createInstanceBody, instanceKey, searchInstancesBody } from './instance-schemas.js';
import { idOf, keyOf } from './keys.js';
import { DEFAULT_TENANT, searchResult, window } from './search.js';
import { allow } from './v2-access.js';

export function processInstancePart(deps: PartDeps) {
  const { db, engine } = deps;
  const instanceId = async (value: unknown) => {
    const key = instanceKey.safeParse(value);
    const id = key.success ? await idOf(db, 'process-instance', key.data) : undefined;
    if (!id) throw new WeftError('INSTANCE_NOT_FOUND', `Process instance with key '${String(value)}' not found`);
    return id;
  };

  return (router: express.Router) => {
    router.post('/process-instances', allow(deps.access('POST /process-instances'), 'POST /process-instances'), async (req, res) => {
      const body = createInstanceBody.parse(req.body ?? {});
      let processId = body.processDefinitionId;
      let version = body.processDefinitionVersion;
      if (body.processDefinitionKey !== undefined) {
        const definitionKey = await idOf(db, 'process-definition', body.processDefinitionKey);
        const [definition] = definitionKey ? await engine.listDefinitions({ keys: [definitionKey] }) : [];
        if (!definition) throw new WeftError('PROCESS_NOT_FOUND', `Process definition with key '${body.processDefinitionKey}' not found`);
        processId = definition.processId;
        version = definition.version;
      }
      const started = await engine.startInstance({ processId: processId!, version: version !== undefined && version >= 0 ? version : undefined, variables: body.variables }, actorOf(res).id);
      const [view] = await instanceResults(db, engine, [started]);
      let variables: Record<string, unknown> = {};
      if (body.awaitCompletion) {
        // A client that hangs up stops the wait: nothing would read the answer.
        const gone = new AbortController();
        res.on('close', () => gone.abort());
        const ended = await awaitEnd(engine, started.id, body.requestTimeout, gone.signal);
        if (!ended) return;
        variables = body.fetchVariables ? Object.fromEntries(body.fetchVariables.filter((n) => n in ended.variables).map((n) => [n, ended.variables[n]])) : ended.variables;
      }
      res.json({ processDefinitionId: view.processDefinitionId, processDefinitionVersion: view.processDefinitionVersion, tenantId: DEFAULT_TENANT, variables, processDefinitionKey: view.processDefinitionKey, processInstanceKey: view.processInstanceKey, tags: [], businessId: null });
    });

    router.post('/process-instances/search', allow(deps.access('GET /process-instances'), 'GET /process-instances'), async (req, res) => {
      const body = searchInstancesBody.parse(req.body ?? {});
      const { offset, limit } = window(body?.page);
      const filter = body?.filter ?? {};
      if (filter.processInstanceKey !== undefined) {
        const id = await idOf(db, 'process-instance', filter.processInstanceKey);
        const found = id ? await engine.getInstance(id).catch(() => null) : null;
        const matches = found && (!filter.processDefinitionId || found.processId === filter.processDefinitionId) && (!filter.state || weftStates(filter.state).includes(found.state));
        const items = matches && offset === 0 ? await instanceResults(db, engine, [found]) : [];
        return res.json(searchResult(items, matches ? 1 : 0, offset));
      }
      // Weft's CANCELED and TERMINATED are both Camunda's TERMINATED: read enough of each and merge in Weft's order (newest first).
      const states = filter.state ? weftStates(filter.state) : [undefined];
      const pages = await Promise.all(states.map((state) => engine.listInstances({ processId: filter.processDefinitionId, state, limit: offset + limit, offset: 0 })));
      const merged: InstanceSummary[] = pages.flatMap((p) => p.items).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
      const total = pages.reduce((n, p) => n + p.total, 0);
      res.json(searchResult(await instanceResults(db, engine, merged.slice(offset, offset + limit)), total, offset));
    });

    router.get('/process-instances/:key', allow(deps.access('GET /process-instances/:id'), 'GET /process-instances/:id'), async (req, res) => {
      const instance = await engine.getInstance(await instanceId(req.params.key));
      const [view] = await instanceResults(db, engine, [instance]);
      const open = await engine.listIncidents({ processInstanceId: instance.id, state: 'OPEN' });
      res.json({ ...view, processDefinitionKey: await keyOf(db, 'process-definition', instance.definitionKey), hasIncident: open.length > 0 });
    });

    router.post('/process-instances/:key/cancellation', allow(deps.access('POST /process-instances/:id/cancel'), 'POST /process-instances/:id/cancel'), async (req, res) => {
      await engine.cancelInstance(await instanceId(req.params.key), actorOf(res).id);
      res.status(204).end();
    });
  };
}
