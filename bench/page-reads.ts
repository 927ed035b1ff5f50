/**
 * What the pages read, called as their routes call it (no HTTP, no JSON
 * encoding): the inbox's claimable tab for a member of one group, the task
 * API's list of one group's tasks, and the operations page opening one
 * instance.
 */
import type { Knex } from 'knex';
import type { Actor } from '../engine/api/auth.js';
import { listTasksQuery } from '../engine/api/schemas.js';
import { cardsQuery } from '../engine/features/people/inbox-routes.js';
import { InboxCards } from '../engine/features/people/inbox-cards.js';
import { Queries } from '../engine/persistence/queries.js';
import { listRuns } from '../connectors/agents/run-board.js';

/** A plain inbox user in one group, named after it (so nothing is assigned to them). */
export function memberOf(group: string): Actor {
  return { id: `user:member-of-${group}`, user: `member-of-${group}`, roles: ['user'], groups: [group], via: 'session' };
}

/**
 * GET /api/inbox/tasks?scope=claimable&sort=priority&limit=200, what the inbox
 * page (modeler/src/inbox/main.ts) asks for the tab of tasks offered to the
 * caller: one page of cards and both tabs' counts.
 */
export function inboxTab(db: Knex): (group: string) => Promise<unknown> {
  const cards = new InboxCards(db);
  const query = cardsQuery.parse({ scope: 'claimable', sort: 'priority', limit: '200' });
  return (group) => cards.list(memberOf(group), query);
}

/**
 * GET /api/tasks?candidateGroup=… as an admin (Queries.listTasks, the default
 * page of 50): the task API's list of one group's tasks.
 */
export function groupTaskList(db: Knex): (group: string) => Promise<unknown> {
  const queries = new Queries(db);
  return (group) => queries.listTasks(listTasksQuery.parse({ candidateGroup: group }));
}

/**
 * Opening an instance on the operations page (modeler/src/operations/main.ts):
 * GET /api/process-instances/:id (state, variables, elements, children,
 * incidents, timers), GET …/:id/audit (the whole trail) and
 * GET /api/agent-runs?processInstanceId=…&limit=200, at once as the page asks.
 */
export function openInstance(db: Knex): (id: string) => Promise<unknown> {
  const queries = new Queries(db);
  return (id) => Promise.all([queries.getInstance(id), queries.audit(id), listRuns(db, { processInstanceId: id, state: 'all', limit: 200, offset: 0 })]);
}
