/**
 * Deployed forms (form-js JSON), versioned by their `id` (the formId a user
 * task's zeebe:formDefinition names): deploying identical content again reuses
 * the latest version, anything else becomes latest+1.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import type { FormSchema } from './form-validation.js';

export interface FormView {
  key: string;
  formId: string;
  version: number;
  resourceName: string;
  deploymentId: string;
  schema: FormSchema;
  createdAt: string;
}

export async function storeForm(trx: Knex.Transaction, resourceName: string, schema: FormSchema, deploymentId: string) {
  const content = JSON.stringify(schema);
  const checksum = createHash('sha256').update(content).digest('hex');
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`weft.form:${schema.id}`]);
  const latest = await trx('forms').where({ form_id: schema.id }).orderBy('version', 'desc').first('key', 'version', 'checksum');
  if (latest && latest.checksum === checksum) return { key: latest.key, formId: schema.id, version: latest.version, resourceName };
  const row = { key: randomUUID(), form_id: schema.id, version: (latest?.version ?? 0) + 1, resource_name: resourceName, deployment_id: deploymentId, schema: content, checksum };
  await trx('forms').insert(row);
  return { key: row.key, formId: row.form_id, version: row.version, resourceName };
}

export class FormRepository {
  constructor(private readonly db: Knex) {}

  async latest(formId: string): Promise<FormView | null> {
    const row = await this.db('forms').where({ form_id: formId }).orderBy('version', 'desc').first();
    return row ? view(row) : null;
  }

  async get(formId: string): Promise<FormView> {
    const form = await this.latest(formId);
    if (!form) throw new WeftError('NOT_FOUND', `No form with id ${formId}`);
    return form;
  }
}

function view(row: Record<string, any>): FormView {
  return {
    key: row.key,
    formId: row.form_id,
    version: row.version,
    resourceName: row.resource_name,
    deploymentId: row.deployment_id,
    schema: row.schema,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
