/**
 * The rows beside an instance's state that name its definition or its
 * element ids — open jobs, inbox tasks, incidents, timers, subscriptions,
 * agent runs — rebound to the target version by a migration. Closed rows
 * keep the ids they had: history says what happened where it happened.
 *
 * Run before the step's own statement, so the waits that statement opens
 * (already named by the target's ids) are not renamed a second time.
 */
import type { Knex } from 'knex';
import type { MigrationMapping } from '../../runtime/migration/mappings.js';

type Statement = { sql: string; bindings: Knex.RawBinding[] };

const OPEN_ROWS: { table: string; open: string; keyed: boolean }[] = [
  { table: 'jobs', open: "r.state IN ('ACTIVATABLE', 'ACTIVATED', 'FAILED', 'ERROR_THROWN')", keyed: false },
  { table: 'tasks', open: "r.state = 'CREATED'", keyed: false },
  { table: 'incidents', open: "r.state = 'OPEN'", keyed: false },
  { table: 'timers', open: "r.state = 'ACTIVE'", keyed: true },
  { table: 'message_subscriptions', open: "r.state = 'OPEN'", keyed: true },
  { table: 'signal_subscriptions', open: 'TRUE', keyed: true },
  { table: 'agent_runs', open: "r.status IN ('RUNNING', 'WAITING')", keyed: true },
];

export function rebindStatement(instanceId: string, target: { definitionKey: string; version: number }, mappings: MigrationMapping[]): Statement {
  const renames = JSON.stringify(Object.fromEntries(mappings.filter((m) => m.sourceElementId !== m.targetElementId).map((m) => [m.sourceElementId, m.targetElementId])));
  const statements: Statement[] = [{ sql: 'UPDATE process_instances SET definition_key = ?, version = ? WHERE id = ?', bindings: [target.definitionKey, target.version, instanceId] }];
  for (const { table, open, keyed } of OPEN_ROWS) {
    // Every open row of the instance takes the new definition key; those of a mapped element also its new id.
    if (keyed) statements.push({ sql: `UPDATE ${table} r SET definition_key = ? WHERE r.process_instance_id = ? AND ${open}`, bindings: [target.definitionKey, instanceId] });
    statements.push({
      sql: `UPDATE ${table} r SET element_id = m.value FROM jsonb_each_text(?::jsonb) m WHERE r.process_instance_id = ? AND r.element_id = m.key AND ${open}`,
      bindings: [renames, instanceId],
    });
  }
  return { sql: statements.map((s) => s.sql).join(';\n'), bindings: statements.flatMap((s) => s.bindings) };
}
