/**
 * The REST calls the operations page makes. Authenticates with an API token
 * kept in localStorage (the same key as the modeler's) or, without one, with
 * the signed-in session (cookie plus CSRF token on changes).
 */
const TOKEN_KEY = 'weft.apiToken';

export interface InstanceSummary {
  id: string;
  processId: string;
  version: number;
  state: string;
  businessKey: string | null;
  createdAt: string;
  endedAt: string | null;
}

export interface Incident {
  id: string;
  processInstanceId: string;
  elementId: string;
  type: string;
  message: string;
  state: 'OPEN' | 'RESOLVED';
  createdAt: string;
}

export interface InstanceDetail extends InstanceSummary {
  definitionKey: string;
  variables: Record<string, unknown>;
  elements: { id: string; elementId: string; state: string }[];
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
  constructor(private readonly askToken: (reason?: string) => Promise<string>) {}

  definitions() {
    return this.json<{ items: { key: string; processId: string; version: number; name: string | null }[] }>('/api/process-definitions');
  }
  instances(query: { processId?: string; state?: string; limit: number; offset: number }) {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
    return this.json<{ items: InstanceSummary[]; total: number }>(`/api/process-instances?${params}`);
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
  cancel(id: string) {
    return this.json<InstanceSummary>(`/api/process-instances/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
  }
  resolve(incidentId: string) {
    return this.json<Incident>(`/api/incidents/${encodeURIComponent(incidentId)}/resolve`, { method: 'POST' });
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }

  /** Sends with the stored token, or else the session cookie (with its CSRF token); on 401 asks for a token. */
  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    let token = localStorage.getItem(TOKEN_KEY);
    for (;;) {
      const headers = new Headers(init.headers);
      headers.set('accept', 'application/json');
      if (token) headers.set('authorization', `Bearer ${token}`);
      else if (init.method && init.method !== 'GET') {
        const csrf = await this.csrfToken();
        if (csrf) headers.set('x-csrf-token', csrf);
      }
      const res = await fetch(path, { ...init, headers, credentials: 'same-origin' });
      if (res.status === 401) {
        this.csrf = undefined;
        token = await this.token(token ? 'That token was refused; paste a valid API token.' : undefined);
        continue;
      }
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
        throw new ApiError(res.status, body.error?.code ?? 'HTTP_ERROR', body.error?.message ?? `Weft answered ${res.status}`);
      }
      return res;
    }
  }

  private csrf?: Promise<string | null>;

  /** The session's CSRF token, or null where there is no session. */
  private csrfToken(): Promise<string | null> {
    this.csrf ??= fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(async (res) => (res.ok ? (((await res.json()) as { csrfToken?: string | null }).csrfToken ?? null) : null))
      .catch(() => null);
    return this.csrf;
  }

  private asking?: Promise<string>;
  private token(reason?: string): Promise<string> {
    this.asking ??= this.askToken(reason).then((given) => {
      localStorage.setItem(TOKEN_KEY, given.trim());
      this.asking = undefined;
      return given.trim();
    });
    return this.asking;
  }
}
