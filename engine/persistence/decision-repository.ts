/**
 * Deployed decisions: storing a deployment's `.dmn` files (versioned per
 * file and per decision id), finding the version a binding names, and a
 * cache of compiled files. A compiled file is immutable once stored, so
 * caching it by key is always safe.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Binding } from '../model/types.js';
import type { CompiledDrg, DeployedDecision } from '../dmn/index.js';
import { WeftError } from '../errors.js';
import { checksum } from './definition-repository.js';
import type { DecisionSummary } from '../service/types.js';

/** A statement inside a transaction (a FastTransaction's query), so a look-up needs no second pooled connection. */
export type Query = (sql: string, bindings: readonly (string | number)[]) => Promise<Record<string, any>[]>;

const SUMMARY = `SELECT d.key, d.decision_id, d.version, d.name, d.version_tag, d.created_at, r.drg_id, r.resource_name
  FROM decision_definitions d JOIN decision_requirements r ON r.key = d.decision_requirements_key`;

export class DecisionRepository {
  private readonly drgs = new Map<string, CompiledDrg>();

  constructor(private readonly db: Knex) {}

  /**
   * Stores one `.dmn` file in the deployment's transaction. The same file
   * as the latest version of its DRG reuses that version and its decisions;
   * anything else is a new DRG version and a new version of each decision
   * in it. Advisory locks per DRG id and decision id keep two concurrent
   * deploys from taking the same version.
   */
  async store(trx: Knex.Transaction, resource: { name: string; xml: string; drg: CompiledDrg }, deploymentId: string): Promise<DecisionSummary[]> {
    const { drg } = resource;
    const sum = checksum(resource.xml);
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`weft.drg:${drg.id}`]);
    const latest = await trx('decision_requirements').where({ drg_id: drg.id }).orderBy('version', 'desc').first('key', 'version', 'checksum');
    if (latest && latest.checksum === sum) return summaries((await trx.raw(`${SUMMARY} WHERE r.key = ? ORDER BY d.decision_id`, [latest.key])).rows);
    const drgKey = randomUUID();
    await trx('decision_requirements').insert({
      key: drgKey,
      drg_id: drg.id,
      version: (latest?.version ?? 0) + 1,
      name: drg.name ?? null,
      checksum: sum,
      resource_name: resource.name,
      deployment_id: deploymentId,
      xml: resource.xml,
      model: JSON.stringify(drg),
    });
    const stored: DecisionSummary[] = [];
    for (const decision of Object.values(drg.decisions)) {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`weft.decision:${decision.id}`]);
      const twice = await trx('decision_definitions').where({ decision_id: decision.id, deployment_id: deploymentId }).first('key');
      if (twice) {
        const problem = { file: resource.name, elementId: decision.id, elementKind: 'dmn:Decision', message: `Decision "${decision.id}" is in two files of this deployment` };
        throw new WeftError('INVALID_MODEL', `${resource.name} cannot be deployed (${decision.id}: ${problem.message})`, { problems: [problem] });
      }
      const previous = await trx('decision_definitions').where({ decision_id: decision.id }).max('version as version').first();
      const row = { key: randomUUID(), decision_id: decision.id, version: (previous?.version ?? 0) + 1, name: decision.name ?? null, version_tag: decision.versionTag ?? null };
      await trx('decision_definitions').insert({ ...row, decision_requirements_key: drgKey, deployment_id: deploymentId });
      stored.push({ key: row.key, decisionId: row.decision_id, version: row.version, name: row.name, versionTag: row.version_tag, decisionRequirementsId: drg.id, resourceName: resource.name });
    }
    return stored;
  }

  /** Every deployed decision version, newest first per decision id. */
  async list(): Promise<(DecisionSummary & { createdAt: string })[]> {
    const { rows } = await this.db.raw(`${SUMMARY} ORDER BY d.decision_id, d.version DESC`);
    return summaries(rows).map((s, i) => ({ ...s, createdAt: (rows[i].created_at as Date).toISOString() }));
  }

  /**
   * The version of `decisionId` a business rule task's binding names: the
   * latest; the one deployed with the process (`processDeploymentId`, the
   * deployment of the instance's process definition); or the latest with the
   * version tag. Undefined when there is none.
   */
  async resolve(decisionId: string, binding: Binding, processDeploymentId: string, query?: Query): Promise<DeployedDecision | undefined> {
    let sql = 'SELECT key, version, decision_requirements_key FROM decision_definitions WHERE decision_id = ?';
    const bindings: (string | number)[] = [decisionId];
    if (binding.type === 'deployment') {
      sql += ' AND deployment_id = ?';
      bindings.push(processDeploymentId);
    } else if (binding.type === 'versionTag') {
      sql += ' AND version_tag = ?';
      bindings.push(binding.versionTag);
    }
    const [row] = await this.run(`${sql} ORDER BY version DESC LIMIT 1`, bindings, query);
    if (!row) return undefined;
    return { key: row.key, decisionId, version: row.version, drg: await this.drg(row.decision_requirements_key, query) };
  }

  /** The latest version of `decisionId`, or the one named; a 404 when there is none. */
  async find(decisionId: string, version?: number): Promise<DeployedDecision> {
    const sql = `SELECT key, version, decision_requirements_key FROM decision_definitions WHERE decision_id = ?${version === undefined ? '' : ' AND version = ?'} ORDER BY version DESC LIMIT 1`;
    const [row] = await this.run(sql, version === undefined ? [decisionId] : [decisionId, version]);
    if (!row) throw new WeftError('DECISION_NOT_FOUND', `No decision '${decisionId}'${version === undefined ? '' : ` version ${version}`} is deployed`);
    return { key: row.key, decisionId, version: row.version, drg: await this.drg(row.decision_requirements_key) };
  }

  /** The `.dmn` file a decision version was deployed in. */
  async xml(decisionId: string, version?: number): Promise<{ xml: string; resourceName: string }> {
    const sql = `SELECT r.xml, r.resource_name FROM decision_definitions d JOIN decision_requirements r ON r.key = d.decision_requirements_key
      WHERE d.decision_id = ?${version === undefined ? '' : ' AND d.version = ?'} ORDER BY d.version DESC LIMIT 1`;
    const [row] = await this.run(sql, version === undefined ? [decisionId] : [decisionId, version]);
    if (!row) throw new WeftError('DECISION_NOT_FOUND', `No decision '${decisionId}'${version === undefined ? '' : ` version ${version}`} is deployed`);
    return { xml: row.xml, resourceName: row.resource_name };
  }

  private async drg(key: string, query?: Query): Promise<CompiledDrg> {
    const cached = this.drgs.get(key);
    if (cached) return cached;
    const [row] = await this.run('SELECT model FROM decision_requirements WHERE key = ?', [key], query);
    if (!row) throw new Error(`Decision requirements ${key} are referenced but not stored`);
    this.drgs.set(key, row.model as CompiledDrg);
    return row.model as CompiledDrg;
  }

  private async run(sql: string, bindings: readonly (string | number)[], query?: Query): Promise<Record<string, any>[]> {
    return query ? query(sql, bindings) : (await this.db.raw(sql, bindings as (string | number)[])).rows;
  }
}

function summaries(rows: Record<string, any>[]): DecisionSummary[] {
  return rows.map((r) => ({
    key: r.key,
    decisionId: r.decision_id,
    version: r.version,
    name: r.name,
    versionTag: r.version_tag,
    decisionRequirementsId: r.drg_id,
    resourceName: r.resource_name,
  }));
}
