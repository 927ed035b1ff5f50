/**
 * Process definitions: versioned deploys and a cache of compiled models.
 * A model is immutable once stored, so caching it by key is always safe.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ExecutableProcess } from '../model/types.js';
import type { DeployedProcess } from '../service/types.js';
import { WeftError } from '../errors.js';
import type { DecisionRepository } from './decision-repository.js';

export interface DefinitionRow {
  key: string;
  process_id: string;
  version: number;
  name: string | null;
  checksum: string;
  resource_name: string;
  deployment_id: string;
  created_at: Date;
}

export interface CompiledResource {
  name: string;
  xml: string;
  processes: ExecutableProcess[];
}

/** A definition version that a deployment has just stored (not one reused because its XML was unchanged). */
export interface StoredDefinition {
  key: string;
  processId: string;
  version: number;
  model: ExecutableProcess;
  /** The deployed file it came from (for a hook's refusal to name). */
  resourceName: string;
}

/**
 * Work that a new version brings, done in the deployment's transaction (it
 * deploys whole or not at all): scheduling timer start events, registering
 * message start events. A hook that throws a WeftError refuses the deployment.
 */
export type DeployHook = (trx: Knex.Transaction, stored: StoredDefinition[], now: Date) => Promise<void>;

export interface DefinitionFilter {
  keys?: readonly string[];
  versions?: readonly { processId: string; version: number }[];
}

export class DefinitionRepository {
  private readonly models = new Map<string, { row: DefinitionRow; model: ExecutableProcess }>();
  /** Where business rule tasks find their decisions (set by the engine service). */
  decisions?: DecisionRepository;

  constructor(
    private readonly db: Knex,
    private readonly hooks: readonly DeployHook[] = [],
  ) {}

  /**
   * Stores a deployment. Per process id: identical XML to the latest version
   * reuses it; anything else becomes version latest+1. An advisory lock per
   * process id keeps two concurrent deploys from taking the same version.
   */
  async deploy(
    resources: CompiledResource[],
    actor: string,
    alsoStore?: (trx: Knex.Transaction, deploymentId: string) => Promise<Record<string, unknown>>,
  ): Promise<{ id: string; processes: DeployedProcess[] } & Record<string, unknown>> {
    return this.db.transaction(async (trx) => {
      const id = randomUUID();
      await trx('deployments').insert({
        id,
        resources: JSON.stringify(resources.map((r) => ({ name: r.name, checksum: checksum(r.xml) }))),
        deployed_by: actor,
      });
      const deployed: DeployedProcess[] = [];
      const stored: StoredDefinition[] = [];
      for (const resource of resources) {
        const sum = checksum(resource.xml);
        for (const model of resource.processes) {
          await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`weft.process:${model.id}`]);
          const latest = await trx('process_definitions').where({ process_id: model.id }).orderBy('version', 'desc').first('key', 'version', 'checksum', 'name');
          if (latest && latest.checksum === sum) {
            deployed.push({ key: latest.key, processId: model.id, version: latest.version, name: latest.name });
            continue;
          }
          const row = { key: randomUUID(), process_id: model.id, version: (latest?.version ?? 0) + 1, name: model.name ?? null };
          await trx('process_definitions').insert({
            ...row,
            checksum: sum,
            resource_name: resource.name,
            deployment_id: id,
            xml: resource.xml,
            model: JSON.stringify(model),
          });
          deployed.push({ key: row.key, processId: row.process_id, version: row.version, name: row.name });
          stored.push({ key: row.key, processId: row.process_id, version: row.version, model, resourceName: resource.name });
        }
      }
      const now = new Date();
      for (const hook of this.hooks) await hook(trx, stored, now);
      const others = alsoStore ? await alsoStore(trx, id) : {};
      return { id, processes: deployed, ...others };
    });
  }

  /** Every definition, or only those with the given keys or process ids and versions (a direct lookup, not a read of all). */
  async list(only?: DefinitionFilter): Promise<DefinitionRow[]> {
    const query = this.db('process_definitions')
      .select('key', 'process_id', 'version', 'name', 'checksum', 'resource_name', 'deployment_id', 'created_at')
      .orderBy([{ column: 'process_id' }, { column: 'version', order: 'desc' }]);
    if (only?.keys) query.whereIn('key', only.keys);
    if (only?.versions) query.whereIn(['process_id', 'version'], only.versions.map((v) => [v.processId, v.version]));
    return query;
  }

  async xml(key: string): Promise<string> {
    const row = await this.db('process_definitions').where({ key }).first('xml');
    if (!row) throw new WeftError('PROCESS_NOT_FOUND', `No process definition with key ${key}`);
    return row.xml;
  }

  /** The latest version, or a named one. */
  async find(processId: string, version?: number): Promise<{ row: DefinitionRow; model: ExecutableProcess }> {
    const query = this.db('process_definitions').where({ process_id: processId }).select('key');
    const row = version === undefined ? await query.orderBy('version', 'desc').first() : await query.andWhere({ version }).first();
    if (!row) {
      const which = version === undefined ? '' : ` version ${version}`;
      throw new WeftError('PROCESS_NOT_FOUND', `No process '${processId}'${which} is deployed`);
    }
    return this.byKey(row.key);
  }

  /**
   * A definition by key, cached. Inside a transaction pass its `query`, so a
   * cache miss does not need a second pooled connection while one is held.
   */
  async byKey(key: string, query?: (sql: string, bindings: string[]) => Promise<Record<string, any>[]>): Promise<{ row: DefinitionRow; model: ExecutableProcess }> {
    const cached = this.models.get(key);
    if (cached) return cached;
    const sql = 'SELECT * FROM process_definitions WHERE key = ?';
    const [row] = query ? await query(sql, [key]) : (await this.db.raw(sql, [key])).rows;
    if (!row) throw new WeftError('PROCESS_NOT_FOUND', `No process definition with key ${key}`);
    const entry = { row: row as DefinitionRow, model: row.model as ExecutableProcess };
    this.models.set(key, entry);
    return entry;
  }
}

export function checksum(xml: string): string {
  return createHash('sha256').update(xml).digest('hex');
}
