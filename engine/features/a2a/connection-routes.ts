/**
 * /api/a2a/connections: the A2A connections an administrator configured and
 * their kill switches (audited with the actor). While a connection is off,
 * its `a2a` jobs wait (retries kept) before they send or poll; switched on,
 * the waiting ones are handed to the worker at once.
 */
import type { Knex } from 'knex';
import { OPERATORS, STAFF } from '../../api/access.js';
import { routes, type ApiRoute } from '../../api/api-routes.js';
import { actorOf } from '../../api/auth.js';
import { WeftError } from '../../errors.js';
import type { Connections } from '../../connections/connection-schema.js';
import { RemoteTaskRepository } from '../../../connectors/a2a/remote-task-repository.js';
import { A2A_JOB_TYPE } from '../../../connectors/a2a/a2a-worker.js';

function a2aConnections(connections: Connections) {
  return Object.entries(connections).flatMap(([name, c]) => (c.kind === 'a2a' ? [{ name, agentCardUrl: c.agentCardUrl, ...(c.approval ? { approval: c.approval } : {}) }] : []));
}

/** `a2a` jobs of this connection waiting out a backoff, handed to the worker now. */
async function wakeWaiting(db: Knex, wake: (jobKey: string) => Promise<boolean>, connection: string): Promise<void> {
  const rows: { key: string }[] = await db('jobs')
    .where({ type: A2A_JOB_TYPE, state: 'ACTIVATABLE' })
    .andWhere('available_at', '>', db.fn.now())
    .andWhere((q) => q.whereRaw("variables->>'connection' = ?", [connection]).orWhereRaw("headers->>'connection' = ?", [connection]))
    .select('key');
  for (const { key } of rows) await wake(key);
}

export function a2aConnectionRoutes(db: Knex, connections: Connections, wake: (jobKey: string) => Promise<boolean>): ApiRoute[] {
  const repo = new RemoteTaskRepository(db);
  return routes('/a2a/connections', (router) => {
    router.get('/', { access: STAFF, summary: 'The configured A2A connections and their switches' }, async (_req, res) => {
      const switches = await repo.switches();
      res.json({ items: a2aConnections(connections).map((c) => ({ ...c, disabled: switches[c.name] === true })) });
    });
    for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
      router.post(`/:name/${action}`, { access: OPERATORS, summary: `${action === 'disable' ? 'Switch an A2A connection off' : 'Switch an A2A connection back on'} (audited)` }, async (req, res) => {
        const name = String(req.params.name);
        if (!a2aConnections(connections).some((c) => c.name === name)) throw new WeftError('NOT_FOUND', `No A2A connection named '${name}' is configured`);
        await repo.setSwitch(name, disabled, actorOf(res).id);
        if (!disabled) await wakeWaiting(db, wake, name);
        res.json({ name, disabled });
      });
    }
  });
}
