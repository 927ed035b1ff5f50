/**
 * An in-memory EngineApi for API tests: canned answers, every call recorded,
 * and any method can be told to throw instead.
 */
import type {
  ActivatedJob,
  AuditEntry,
  EngineApi,
  IncidentView,
  InstanceDetail,
  InstanceSummary,
  ProcessDefinitionSummary,
  TaskView,
} from '../../../engine/service/types.js';

export const IDS = {
  deployment: '11111111-1111-4111-8111-111111111111',
  definition: '22222222-2222-4222-8222-222222222222',
  instance: '33333333-3333-4333-8333-333333333333',
  job: '44444444-4444-4444-8444-444444444444',
  task: '55555555-5555-4555-8555-555555555555',
  incident: '66666666-6666-4666-8666-666666666666',
  message: '77777777-7777-4777-8777-777777777777',
  signal: '88888888-8888-4888-8888-888888888888',
};

const AT = '2025-01-01T00:00:00.000Z';

export const instance: InstanceSummary = {
  id: IDS.instance, processId: 'order', version: 1, state: 'ACTIVE', businessKey: null, createdAt: AT, endedAt: null,
};

export const incident: IncidentView = {
  id: IDS.incident, processInstanceId: IDS.instance, elementId: 'charge', elementInstanceKey: 'e1', jobKey: IDS.job,
  type: 'JOB_NO_RETRIES', message: 'card declined', state: 'OPEN', createdAt: AT, resolvedAt: null,
};

export const task: TaskView = {
  id: IDS.task, processInstanceId: IDS.instance, processId: 'order', elementId: 'approve', name: 'Approve', state: 'CREATED',
  assignee: null, candidateGroups: ['managers'], candidateUsers: [], dueDate: null, followUpDate: null, formId: null,
  formKey: null, priority: 50, headers: {}, variables: { amount: 10 }, createdAt: AT, completedAt: null, completedBy: null,
};

export const job: ActivatedJob = {
  key: IDS.job, type: 'charge-card', processInstanceId: IDS.instance, processId: 'order', elementId: 'charge',
  variables: { amount: 10 }, headers: {}, retries: 3, deadline: AT,
};

export const definition: ProcessDefinitionSummary = {
  key: IDS.definition, processId: 'order', version: 1, name: 'Order', deploymentId: IDS.deployment, resourceName: 'order.bpmn', createdAt: AT,
};

export const audit: AuditEntry = {
  id: 'a1', at: AT, actor: 'admin', type: 'INSTANCE_STARTED', processInstanceId: IDS.instance, elementId: null, elementInstanceKey: null, payload: null,
};

export const XML = '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>';

export const DMN_XML = '<?xml version="1.0"?><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"/>';

export const decision = {
  key: '33333333-3333-4333-8333-333333333333', decisionId: 'discount', version: 1, name: 'Discount', versionTag: null,
  decisionRequirementsId: 'discount-rules', resourceName: 'discount.dmn', createdAt: AT,
};

type Method = keyof EngineApi;

export class FakeEngine implements EngineApi {
  readonly calls: { method: Method; args: unknown[] }[] = [];
  healthy = { postgres: true, redis: true };
  private failures = new Map<Method, unknown>();

  /** The next and every later call of `method` throws `err`. */
  throwOn(method: Method, err: unknown): void {
    this.failures.set(method, err);
  }

  lastCall(method: Method): unknown[] | undefined {
    return this.calls.filter((c) => c.method === method).at(-1)?.args;
  }

  private async record<T>(method: Method, args: unknown[], result: T): Promise<T> {
    this.calls.push({ method, args });
    if (this.failures.has(method)) throw this.failures.get(method);
    return result;
  }

  deploy(...args: Parameters<EngineApi['deploy']>) {
    return this.record('deploy', args, {
      id: IDS.deployment,
      processes: [{ key: IDS.definition, processId: 'order', version: 1, name: 'Order' }],
      warnings: [],
    });
  }
  listDefinitions() { return this.record('listDefinitions', [], [definition]); }
  definitionXml(...args: Parameters<EngineApi['definitionXml']>) { return this.record('definitionXml', args, XML); }

  listDecisions() { return this.record('listDecisions', [], [decision]); }
  decisionXml(...args: Parameters<EngineApi['decisionXml']>) { return this.record('decisionXml', args, { xml: DMN_XML, resourceName: 'discount.dmn' }); }
  evaluateDecision(...args: Parameters<EngineApi['evaluateDecision']>) {
    return this.record('evaluateDecision', args, { decisionId: args[0], decisionKey: decision.key, version: 1, result: 0.1, matchedRules: [], evaluatedDecisions: [] });
  }

  startInstance(...args: Parameters<EngineApi['startInstance']>) { return this.record('startInstance', args, instance); }
  listInstances(...args: Parameters<EngineApi['listInstances']>) {
    return this.record('listInstances', args, { items: [{ ...instance, openIncidents: 1, parentInstanceId: null }], total: 1, limit: args[0].limit, offset: args[0].offset });
  }
  updateVariables(...args: Parameters<EngineApi['updateVariables']>) {
    return this.record('updateVariables', args, { key: args[0], elementId: instance.processId, variables: args[1].variables });
  }
  definitionStatistics(...args: Parameters<EngineApi['definitionStatistics']>) {
    return this.record('definitionStatistics', args, []);
  }
  getInstance(...args: Parameters<EngineApi['getInstance']>) {
    const detail: InstanceDetail = { ...instance, definitionKey: IDS.definition, variables: { amount: 10 }, scopes: [{ key: instance.id, elementId: instance.processId, variables: { amount: 10 } }], elements: [], activations: {}, flowsTaken: [], parent: null, children: [], incidents: [incident], timers: [] };
    return this.record('getInstance', args, detail);
  }
  cancelInstance(...args: Parameters<EngineApi['cancelInstance']>) {
    return this.record('cancelInstance', args, { ...instance, state: 'CANCELED' as const, endedAt: AT });
  }
  audit(...args: Parameters<EngineApi['audit']>) { return this.record('audit', args, [audit]); }
  verifyAudit(...args: Parameters<EngineApi['verifyAudit']>) { return this.record('verifyAudit', args, { valid: true, events: 1, firstMismatch: null }); }
  triggerElement(...args: Parameters<EngineApi['triggerElement']>) { return this.record('triggerElement', args, instance); }
  modifyInstance(...args: Parameters<EngineApi['modifyInstance']>) {
    const detail: InstanceDetail = { ...instance, definitionKey: IDS.definition, variables: {}, scopes: [], elements: [], activations: {}, flowsTaken: [], parent: null, children: [], incidents: [], timers: [] };
    return this.record('modifyInstance', args, detail);
  }
  migrateInstance(...args: Parameters<EngineApi['migrateInstance']>) {
    const [id, req] = args;
    return this.record('migrateInstance', args, { processInstanceId: id, dryRun: req.dryRun ?? false, sourceDefinitionKey: IDS.definition, sourceVersion: 1, targetDefinitionKey: req.targetDefinitionKey, targetVersion: 2, elements: [] });
  }

  publishMessage(...args: Parameters<EngineApi['publishMessage']>) {
    return this.record('publishMessage', args, { messageKey: IDS.message, duplicate: false, correlated: [], started: [], buffered: false, expiresAt: null, dropped: true });
  }
  broadcastSignal(...args: Parameters<EngineApi['broadcastSignal']>) {
    return this.record('broadcastSignal', args, { signalKey: IDS.signal, delivered: 2, started: [{ processInstanceId: IDS.instance, processId: 'order' }] });
  }

  activateJobs(...args: Parameters<EngineApi['activateJobs']>) { return this.record('activateJobs', args, [job]); }
  activateJob(...args: Parameters<EngineApi['activateJob']>) { return this.record('activateJob', args, job); }
  /** A read the job routes make before any job command; not recorded, so `calls` lists the commands. */
  jobType(): Promise<string | null> { return Promise.resolve(job.type); }
  completeJob(...args: Parameters<EngineApi['completeJob']>) { return this.record('completeJob', args, { duplicate: false }); }
  failJob(...args: Parameters<EngineApi['failJob']>) { return this.record('failJob', args, { duplicate: false }); }
  throwJobError(...args: Parameters<EngineApi['throwJobError']>) { return this.record('throwJobError', args, { duplicate: false }); }
  updateJobRetries(...args: Parameters<EngineApi['updateJobRetries']>) { return this.record('updateJobRetries', args, undefined); }

  listTasks(...args: Parameters<EngineApi['listTasks']>) {
    return this.record('listTasks', args, { items: [task], total: 1, limit: args[0].limit, offset: args[0].offset });
  }
  getTask(...args: Parameters<EngineApi['getTask']>) { return this.record('getTask', args, task); }
  claimTask(...args: Parameters<EngineApi['claimTask']>) { return this.record('claimTask', args, { ...task, assignee: args[1] }); }
  completeTask(...args: Parameters<EngineApi['completeTask']>) { return this.record('completeTask', args, { duplicate: true }); }

  listIncidents(...args: Parameters<EngineApi['listIncidents']>) { return this.record('listIncidents', args, [incident]); }
  resolveIncident(...args: Parameters<EngineApi['resolveIncident']>) {
    return this.record('resolveIncident', args, { ...incident, state: 'RESOLVED' as const, resolvedAt: AT });
  }

  health() { return this.record('health', [], this.healthy); }
}
