/**
 * The page reads at the bench's size: the inbox's claimable tab for one
 * group, the task API's list of one group, and opening one instance, each
 * timed warm over several groups or instances (read-timings.ts), then
 * explained with the statements it sent (query-plans.ts).
 */
import type { Knex } from 'knex';
import { groupTaskList, inboxTab, openInstance } from './page-reads.js';
import { timeRead, timingLine, type ReadTiming } from './read-timings.js';
import { captureStatements, explainAll, planLines, type StatementPlan } from './query-plans.js';

const BOUND_MS = 50;
const RUNS = 20;

export interface ReadFigures {
  timings: ReadTiming[];
  plans: Record<string, StatementPlan[]>;
}

export async function measureReads(db: Knex, databaseUrl: string, groups: number, print: (line: string) => void): Promise<ReadFigures> {
  // What autovacuum does after a burst of inserts (visibility map, GIN pending lists, the planner's statistics);
  // done here so the figures are the steady state's, whether or not the server runs autovacuum.
  const vacuumStarted = performance.now();
  await db.raw('VACUUM (ANALYZE)');
  print(`VACUUM (ANALYZE) in ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s (autovacuum ${(await db.raw('SHOW autovacuum')).rows[0].autovacuum} on this server)`);
  // Spread over the groups and the instances, every other one to warm on, so no figure is one cached answer.
  const groupNames = halves(Array.from({ length: 2 * RUNS }, (_, i) => `reviewers-${Math.floor((i * groups) / (2 * RUNS)) % groups}`));
  const instanceIds = halves(((await db.raw('SELECT id FROM process_instances ORDER BY random() LIMIT ?', [2 * RUNS])).rows as { id: string }[]).map((r) => r.id));
  const reads = [
    { name: 'inbox, claimable tab of one group', read: inboxTab(db), ...groupNames },
    { name: 'GET /api/tasks?candidateGroup= (admin)', read: groupTaskList(db), ...groupNames },
    { name: 'open one instance (detail, audit, agent runs)', read: openInstance(db), ...instanceIds },
  ];

  const timings: ReadTiming[] = [];
  for (const r of reads) {
    const timing = await timeRead(r.name, r.read, r.inputs, { warm: r.warm, boundMs: BOUND_MS });
    print(timingLine(timing));
    timings.push(timing);
  }
  const plans: Record<string, StatementPlan[]> = {};
  for (const r of reads) {
    const statements = await captureStatements(db, () => r.read(r.inputs[r.inputs.length - 1]));
    plans[r.name] = await explainAll(databaseUrl, statements);
    for (const line of planLines(r.name, plans[r.name])) print(line);
  }
  return { timings, plans };
}

/** Every other item to warm on, the rest to time. */
function halves<T>(items: T[]): { warm: T[]; inputs: T[] } {
  return { warm: items.filter((_, i) => i % 2 === 0), inputs: items.filter((_, i) => i % 2 === 1) };
}
