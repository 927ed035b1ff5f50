/**
 * A Weft process instance in Camunda's words: numeric keys, Camunda's three
 * states (Weft's CANCELED, an operator's cancel, is Camunda's TERMINATED as
 * much as a terminate end event is), the one tenant.
 */
import type { Knex } from 'knex';
import type { InstanceStatus } from '../../runtime/types.js';
import type { EngineApi, InstanceSummary } from '../../service/types.js';
import { keysOf } from './keys.js';
import { DEFAULT_TENANT } from './search.js';

export type CamundaState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export const camundaState = (state: InstanceStatus): CamundaState => (state === 'ACTIVE' || state === 'COMPLETED' ? state : 'TERMINATED');

/** The Weft states a Camunda state stands for. */
export const weftStates = (state: CamundaState): InstanceStatus[] => (state === 'TERMINATED' ? ['TERMINATED', 'CANCELED'] : [state]);

/** Camunda's ProcessInstanceResult for each instance, in the order given. */
export async function instanceResults(db: Knex, engine: EngineApi, instances: InstanceSummary[]) {
  if (instances.length === 0) return [];
  const definitions = await engine.listDefinitions({ versions: instances.map((i) => ({ processId: i.processId, version: i.version })) });
  const withIncident = new Set<string>(
    await db('incidents').whereIn('process_instance_id', instances.map((i) => i.id)).where({ state: 'OPEN' }).distinct('process_instance_id').pluck('process_instance_id'),
  );
  const definitionOf = new Map(definitions.map((d) => [`${d.processId}@${d.version}`, d]));
  const instanceKeys = await keysOf(db, 'process-instance', instances.map((i) => i.id));
  const definitionKeys = await keysOf(db, 'process-definition', instances.map((i) => definitionOf.get(`${i.processId}@${i.version}`)?.key).filter((k): k is string => !!k));
  return instances.map((i) => {
    const definition = definitionOf.get(`${i.processId}@${i.version}`);
    return {
      processDefinitionId: i.processId,
      processDefinitionName: definition?.name ?? null,
      processDefinitionVersion: i.version,
      processDefinitionVersionTag: null,
      startDate: i.createdAt,
      endDate: i.endedAt,
      state: camundaState(i.state),
      hasIncident: withIncident.has(i.id),
      tenantId: DEFAULT_TENANT,
      processInstanceKey: instanceKeys.get(i.id)!,
      processDefinitionKey: definition ? definitionKeys.get(definition.key)! : '0',
      parentProcessInstanceKey: null,
      parentElementInstanceKey: null,
      rootProcessInstanceKey: null,
      tags: [],
      businessId: i.businessKey,
    };
  });
}
