/**
 * Which process and element answer `/webhooks/<id>`: the webhooks of the
 * latest version of each process, kept in `webhook_endpoints` by a deploy
 * hook in the deployment's transaction. A new version replaces its
 * process's endpoints (as Camunda activates the inbound connectors of the
 * latest version); an id another process holds refuses the deployment, 422,
 * naming both. Read from Postgres on each request, so every engine process
 * answers every endpoint, also after a restart.
 */
import type { Knex } from 'knex';
import { WeftError } from '../../errors.js';
import type { DefinitionRepository, DeployHook, StoredDefinition } from '../../persistence/definition-repository.js';
import type { FlowElement, InboundWebhook, ModelProblem } from '../../model/types.js';

/** The elements that can carry a webhook, and what a request does to each. */
export type WebhookElement = Extract<FlowElement, { webhook?: InboundWebhook }> & { webhook: InboundWebhook };

export interface WebhookEndpoint {
  context: string;
  processId: string;
  definitionKey: string;
  version: number;
  element: WebhookElement;
}

function webhooksOf(definition: StoredDefinition): WebhookElement[] {
  return Object.values(definition.model.elements).filter((e): e is WebhookElement => 'webhook' in e && e.webhook !== undefined);
}

const problemAt = (definition: StoredDefinition, element: WebhookElement, message: string): ModelProblem => ({
  file: definition.resourceName,
  elementId: element.id,
  field: 'inbound.context',
  message,
});

export const registerWebhooks: DeployHook = async (trx, stored, now) => {
  const problems: ModelProblem[] = [];
  for (const definition of stored) {
    const elements = webhooksOf(definition);
    await trx('webhook_endpoints').where({ process_id: definition.processId }).delete();
    const seen = new Map<string, string>();
    for (const element of elements) {
      const { context } = element.webhook;
      const twin = seen.get(context);
      if (twin) {
        problems.push(problemAt(definition, element, `Webhook id "${context}" of "${element.id}" is used by "${twin}" of the same process too; each webhook needs its own id`));
        continue;
      }
      seen.set(context, element.id);
      const inserted = await trx('webhook_endpoints')
        .insert({ context, process_id: definition.processId, definition_key: definition.key, element_id: element.id, resource_name: definition.resourceName, since: now })
        .onConflict('context')
        .ignore()
        .returning('context');
      if (inserted.length > 0) continue;
      const holder = await trx('webhook_endpoints').where({ context }).first('process_id', 'element_id', 'resource_name');
      problems.push(
        problemAt(
          definition,
          element,
          `Webhook id "${context}" of "${element.id}" (process "${definition.processId}") is already the webhook of "${holder?.element_id}" in process "${holder?.process_id}" (${holder?.resource_name}); each webhook needs its own id`,
        ),
      );
    }
  }
  if (problems.length > 0) {
    throw new WeftError('INVALID_MODEL', `Deployment cannot be deployed: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`, { problems });
  }
};

/** The endpoint of a webhook id, or null when no latest version has one. */
export async function findEndpoint(db: Knex, definitions: DefinitionRepository, context: string): Promise<WebhookEndpoint | null> {
  const row = await db('webhook_endpoints').where({ context }).first('definition_key', 'element_id', 'process_id');
  if (!row) return null;
  const { row: definition, model } = await definitions.byKey(row.definition_key);
  const element = model.elements[row.element_id] as WebhookElement | undefined;
  if (!element?.webhook) return null;
  return { context, processId: row.process_id, definitionKey: row.definition_key, version: definition.version, element };
}
