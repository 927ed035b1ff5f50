/**
 * The REST calls the operations page makes. Authenticates with the signed-in
 * session (cookie plus CSRF token on changes) or, without one, with an API
 * token pasted for this tab (shared/weft-fetch.ts).
 */
import { WeftFetch, type TokenPrompt } from '../shared/weft-fetch.js';

/** The largest page GET /api/agent-runs gives (agent-routes.ts). */
const AGENT_RUNS_PAGE = 200;

export interface InstanceSummary {
  id: string;
  processId: string;
  version: number;
  state: string;
  businessKey: string | null;
  createdAt: string;
  endedAt: string | null;
}

export interface InstanceListItem extends InstanceSummary {
  openIncidents: number;
  parentInstanceId: string | null;
}

/** What GET /api/process-instances takes besides the page (engine/persistence/instance-search.ts). */
/** The instance search's criteria (engine/api/schemas.ts instanceSearchFields), as the search form holds them. */
export interface InstanceCriteria {
  processId?: string;
  version?: string;
  state?: string;
  hasIncident?: string;
  businessKey?: string;
  variableName?: string;
  variableValue?: string;
  startedAfter?: string;
  startedBefore?: string;
  endedAfter?: string;
  endedBefore?: string;
}

/** A search of the list: its criteria, its order and its page. */
export interface InstanceQuery extends InstanceCriteria {
  sortBy?: string;
  sortOrder?: string;
  limit: number;
  offset: number;
}

export interface DefinitionStatistics {
  key: string;
  processId: string;
  version: number;
  name: string | null;
  active: number;
  withIncidents: number;
  completed: number;
  canceled: number;
  terminated: number;
}

export interface VariableScope {
  key: string;
  elementId: string;
  variables: Record<string, unknown>;
}

export interface Incident {
  id: string;
  processInstanceId: string;
  elementId: string;
  jobKey: string | null;
  type: string;
  message: string;
  state: 'OPEN' | 'RESOLVED';
  createdAt: string;
}

export interface InstanceDetail extends InstanceSummary {
  definitionKey: string;
  variables: Record<string, unknown>;
  scopes: VariableScope[];
  elements: { id: string; elementId: string; state: string }[];
  activations: Record<string, number>;
  flowsTaken: string[];
  parent: { instanceId: string; elementId: string; processId: string } | null;
  children: { id: string; processId: string; version: number; state: string; elementId: string | null }[];
  incidents: Incident[];
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  type: string;
  elementId: string | null;
  payload: Record<string, unknown> | null;
}

export interface AgentRunSummary {
  id: string;
  elementId: string;
  agent: string;
  version: number;
  status: string;
  startedAt: string;
  endedAt: string | null;
}

/** One run of GET /api/agent-runs (connectors/agents/run-board.ts). */
export interface BoardRun extends AgentRunSummary {
  jobKey: string;
  processInstanceId: string;
  processId: string;
  processName: string | null;
  attempt: number;
  error: string | null;
  activity: { kind: string; label: string; since: string; tool?: string; request?: string; reviewInstanceId?: string; reviewTaskId?: string; toolJobKey?: string; reason?: string; retryAt?: string };
  usage: { modelCalls: number; toolCalls: number; inputTokens: number; outputTokens: number; totalTokens: number; costUsd: number; workMs: number };
  limits: { name: string; limit: number; used: number }[];
}

export interface AgentDefinitionSwitch {
  key: string;
  name: string;
  version: number;
  disabled: boolean;
}

/** GET /api/agents: the definitions and the kill switches. */
export interface AgentsBoard {
  allDisabled: boolean;
  items: AgentDefinitionSwitch[];
}

export interface AgentTranscript {
  id: string;
  agent: { name: string; version: number; model: string | null };
  status: string;
  error: string | null;
  modelCalls: number;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  latencyMs: number;
  costUsd: number;
  messages: { step: number; role: string; content: unknown; name?: string; status?: string }[];
  toolCalls: { step: number; name: string; args: unknown; status: string; result: unknown; reason: string | null }[];
  decisions: ({ step: number; decision: string } & Record<string, unknown>)[];
}

export type ModifyInstruction =
  | { type: 'move'; fromElementId: string; toElementId: string }
  | { type: 'cancel'; elementId: string };

/** One element of a migration's answer (engine/runtime/migration): where its token goes and what becomes of its wait. */
export interface MigratedElement {
  sourceElementId: string;
  targetElementId: string;
  kind: string;
  waitState: string;
}

export interface MigrationAnswer {
  dryRun: boolean;
  targetVersion: number;
  elements: MigratedElement[];
}

// The server's own wire types (import-free), not copies.
import type {
  BatchItemView as BatchItem,
  BatchKindName as BatchKind,
  BatchOperationView as BatchOperation,
  BatchState,
  ItemState as BatchItemState,
} from '../../../engine/features/batch-operations/batch-wire.js';

export type { BatchItem, BatchItemState, BatchKind, BatchOperation, BatchState };

/** The search criteria a batch is made over: the instance list's query without its order and page (engine/api/schemas.ts instanceSearchFields). */
/** A batch's filter: the search's criteria, without its order and page. */
export type BatchFilter = InstanceCriteria;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface CreateBatch {
  kind: BatchKind;
  filter: BatchFilter;
  reason?: string;
  retries?: number;
  targetDefinitionKey?: string;
  mappings?: { sourceElementId: string; targetElementId: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class OperationsApi {
  private readonly http: WeftFetch;

  constructor(askToken: TokenPrompt) {
    this.http = new WeftFetch(askToken, async (res) => {
      const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown } };
      // A 400's details name the field and reason ("reason: must not be empty"); the operator needs those, not "Invalid request".
      const details = Array.isArray(body.error?.details)
        ? (body.error.details as { path?: string; message?: string }[]).filter((d) => d?.message).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')
        : '';
      const said = body.error?.message ?? `Weft answered ${res.status}`;
      return new ApiError(res.status, body.error?.code ?? 'HTTP_ERROR', details ? `${said} — ${details}` : said);
    });
  }

  definitions() {
    return this.json<{ items: { key: string; processId: string; version: number; name: string | null }[] }>('/api/process-definitions');
  }
  statistics() {
    return this.json<{ items: DefinitionStatistics[] }>('/api/process-definitions/statistics');
  }
  instances(query: InstanceQuery) {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
    return this.json<{ items: InstanceListItem[]; total: number }>(`/api/process-instances?${params}`);
  }
  updateVariables(id: string, body: { scopeKey?: string; variables: Record<string, unknown>; reason: string }) {
    return this.json<VariableScope>(`/api/process-instances/${encodeURIComponent(id)}/variables`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  jobRetries(jobKey: string, retries: number) {
    return this.request(`/api/jobs/${encodeURIComponent(jobKey)}/retries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ retries }) });
  }
  /** The change stream (GET /api/events), read with fetch so the credential goes in a header, never the URL. */
  events(signal: AbortSignal): Promise<Response> {
    return this.request('/api/events', { signal });
  }
  instance(id: string) {
    return this.json<InstanceDetail>(`/api/process-instances/${encodeURIComponent(id)}`);
  }
  audit(id: string) {
    return this.json<{ items: AuditEntry[] }>(`/api/process-instances/${encodeURIComponent(id)}/audit`);
  }
  openIncidents() {
    return this.json<{ items: Incident[] }>('/api/incidents?state=OPEN');
  }
  async xml(definitionKey: string): Promise<string> {
    return (await this.request(`/api/process-definitions/${encodeURIComponent(definitionKey)}/xml`)).text();
  }
  /** Every agent run of an instance, page after page; none where Weft runs without the agents feature. */
  async agentRuns(instanceId: string): Promise<AgentRunSummary[]> {
    try {
      const runs: AgentRunSummary[] = [];
      for (;;) {
        const page = await this.json<{ items: AgentRunSummary[]; total: number }>(`/api/agent-runs?processInstanceId=${encodeURIComponent(instanceId)}&limit=${AGENT_RUNS_PAGE}&offset=${runs.length}`);
        runs.push(...page.items);
        if (page.items.length === 0 || runs.length >= page.total) return runs;
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  }
  /** The runs across instances (the Agents view): `state` in-flight (default), ended, all or one state; `agent` by name. */
  agentBoard(query: { state?: string; agent?: string; limit?: number; offset?: number }) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    return this.json<{ items: BoardRun[]; total: number }>(`/api/agent-runs?${params}`);
  }
  agents() {
    return this.json<AgentsBoard>('/api/agents');
  }
  /** A kill switch: one agent (`name`) or all of them. */
  agentSwitch(action: 'disable' | 'enable', name?: string) {
    const path = name ? `/api/agents/${encodeURIComponent(name)}/${action}` : `/api/agents/${action}-all`;
    return this.json<unknown>(path, { method: 'POST' });
  }
  agentTranscript(runId: string) {
    return this.json<AgentTranscript>(`/api/agent-runs/${encodeURIComponent(runId)}`);
  }
  modify(id: string, body: { instructions: ModifyInstruction[]; reason: string }) {
    return this.json<unknown>(`/api/process-instances/${encodeURIComponent(id)}/modification`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  migrate(id: string, body: { targetDefinitionKey: string; mappings: { sourceElementId: string; targetElementId: string }[]; dryRun: boolean }) {
    return this.json<MigrationAnswer>(`/api/process-instances/${encodeURIComponent(id)}/migration`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  cancel(id: string) {
    return this.json<InstanceSummary>(`/api/process-instances/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
  }
  resolve(incidentId: string) {
    return this.json<Incident>(`/api/incidents/${encodeURIComponent(incidentId)}/resolve`, { method: 'POST' });
  }
  createBatch(body: CreateBatch) {
    return this.json<BatchOperation>('/api/batch-operations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  batches(page: { limit: number; offset: number }) {
    return this.json<Page<BatchOperation>>(`/api/batch-operations?limit=${page.limit}&offset=${page.offset}`);
  }
  batch(id: string, items: { itemState?: BatchItemState; limit: number; offset: number }) {
    const params = new URLSearchParams({ limit: String(items.limit), offset: String(items.offset), ...(items.itemState ? { itemState: items.itemState } : {}) });
    return this.json<BatchOperation & { items: Page<BatchItem> }>(`/api/batch-operations/${encodeURIComponent(id)}?${params}`);
  }
  stopBatch(id: string) {
    return this.json<BatchOperation>(`/api/batch-operations/${encodeURIComponent(id)}/cancellation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  }

  private json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return this.http.json<T>(path, init);
  }

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    return this.http.request(path, init);
  }
}
