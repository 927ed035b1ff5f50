/**
 * What operators do to running instances beyond the normal flow: modify
 * (move, start and cancel tokens) and migrate (rebind to another version of
 * the process). The logic is pure (runtime/modification, runtime/migration);
 * this is its write path — the instance locked, the change and every row it
 * touches written in one transaction, the outbox relayed after commit.
 */
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import type { CommandPath } from '../command-path.js';
import { lockInstance, stepContext } from '../command-path.js';
import type { DefinitionRepository } from '../../persistence/definition-repository.js';
import type { Queries } from '../../persistence/queries.js';
import { fastTransaction } from '../../persistence/fast-transaction.js';
import { committedStates, loadState, readState } from '../../persistence/instance-store.js';
import { assertStorable } from '../../persistence/storable.js';
import { migrateInstance } from '../../runtime/migration/migrate.js';
import type { InstanceState } from '../../runtime/types.js';
import type { OutboxRow } from '../../persistence/effect-applier.js';
import { rebindStatement } from './rebind-rows.js';
import type { InstanceDetail, MigrationRequest, MigrationAnswer, ModificationRequest } from '../types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InstanceOperations {
  constructor(
    private readonly db: Knex,
    private readonly path: CommandPath,
    private readonly definitions: DefinitionRepository,
    private readonly queries: Queries,
  ) {}

  /** All instructions in one step (the MODIFY command), so one transaction: applied together, or refused and nothing changed. */
  async modify(id: string, req: ModificationRequest, actor: string): Promise<InstanceDetail> {
    if (req.reason.trim() === '') throw new WeftError('BAD_REQUEST', 'reason: must not be empty');
    assertStorable(req.instructions, 'instructions');
    assertStorable(req.reason, 'reason');
    await this.path.command(lockInstance(id), { type: 'MODIFY', instructions: req.instructions, reason: req.reason }, actor);
    return this.queries.getInstance(id);
  }

  /**
   * A dry run reads the instance without locking it and answers what apply
   * would do, refusing exactly as apply would. Apply locks the instance and
   * writes the migrated state, the rows it rebinds and the audit together.
   */
  async migrate(id: string, req: MigrationRequest, actor: string): Promise<MigrationAnswer> {
    // A key that is no UUID names no definition (and must not reach Postgres as one).
    if (!GUID.test(req.targetDefinitionKey)) throw new WeftError('PROCESS_NOT_FOUND', `targetDefinitionKey: no process definition with key ${req.targetDefinitionKey}`);
    assertStorable(req.mappings, 'mappings');
    const ctx = stepContext(new Date(), actor);
    if (req.dryRun) {
      const row = await this.db('process_instances').where({ id }).first('id', 'state', 'definition_key');
      if (!row) throw new WeftError('INSTANCE_NOT_FOUND', `No process instance with id ${id}`);
      const state = await readState((sql, bindings) => this.db.raw(sql, bindings as Knex.RawBinding[]).then((r) => r.rows), row);
      const { answer } = await this.migrated(state, row.definition_key, req, ctx, (sql, bindings) => this.db.raw(sql, bindings as Knex.RawBinding[]).then((r) => r.rows), false);
      return answer;
    }
    let written: InstanceState | undefined;
    const outcome = await fastTransaction(this.db, lockInstance(id), async (rows, tx) => {
      const row = rows[0];
      if (!row) throw lockInstance(id).notFound();
      const query = (sql: string, bindings: readonly unknown[]) => tx.query(sql, bindings as Knex.RawBinding[]);
      const state = await loadState(query, row as never);
      const { answer, result, target } = await this.migrated(state, row.definition_key, req, ctx, query, true);
      const step = await this.path.writeStep(query, target, result, ctx);
      written = step.state;
      const rebind = rebindStatement(id, { definitionKey: answer.targetDefinitionKey, version: answer.targetVersion }, req.mappings);
      return {
        result: { answer, outbox: step.outbox as OutboxRow[], openings: step.openings, notifications: step.notifications, signals: step.signals },
        finalSql: { sql: `${rebind.sql};\n${step.statement.sql}`, bindings: [...rebind.bindings, ...step.statement.bindings] },
      };
    });
    if (written) committedStates([written]);
    await this.path.committed(outcome.outbox, [outcome.openings], outcome.notifications, outcome.signals);
    return outcome.answer;
  }

  private async migrated(state: InstanceState, sourceKey: string, req: MigrationRequest, ctx: ReturnType<typeof stepContext>, query: (sql: string, bindings: string[]) => Promise<Record<string, any>[]>, inPlace: boolean) {
    if (state.status !== 'ACTIVE') throw new WeftError('INSTANCE_NOT_ACTIVE', `Process instance ${state.id} is ${state.status}`);
    const source = await this.definitions.byKey(sourceKey, query);
    const target = await this.definitions.byKey(req.targetDefinitionKey, query);
    if (target.row.key === sourceKey) throw new WeftError('MIGRATION_REFUSED', `Process instance ${state.id} already runs on definition ${sourceKey} (version ${target.row.version})`);
    const result = migrateInstance(source.model, state, { definitionKey: target.row.key, version: target.row.version, model: target.model }, req.mappings, ctx, { inPlace });
    if (!result.ok) {
      const named = result.problems.map((p) => p.message).join('; ');
      throw new WeftError('MIGRATION_REFUSED', `Process instance ${state.id} cannot be migrated to version ${target.row.version}: ${named}`, { problems: result.problems });
    }
    const answer: MigrationAnswer = {
      processInstanceId: state.id,
      dryRun: !inPlace,
      sourceDefinitionKey: sourceKey,
      sourceVersion: source.row.version,
      targetDefinitionKey: target.row.key,
      targetVersion: target.row.version,
      elements: result.elements,
    };
    return { answer, result, target: target.model };
  }
}
