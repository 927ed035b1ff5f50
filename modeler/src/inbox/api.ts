/**
 * The inbox's REST calls, authenticated by the session cookie. State changes
 * carry the session's CSRF token; a 401 sends the person to sign in.
 */
export interface Task {
  id: string;
  processInstanceId: string;
  processId: string;
  elementId: string;
  name: string | null;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED';
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  formId: string | null;
  priority: number;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
  createdAt: string;
}

export interface TaskDetail {
  task: Task;
  definitionKey: string | null;
  form: { formId: string; version: number; schema: Record<string, unknown> } | null;
  history: { at: string; actor: string; type: string; elementId: string | null }[];
}

export interface Me {
  id: string;
  user: string | null;
  roles: string[];
  groups: string[];
  csrfToken: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function signInUrl(): string {
  return `/sign-in?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
}

export class InboxApi {
  private csrfToken: string | null = null;

  async me(): Promise<Me> {
    const me = await this.json<Me>('GET', '/api/me');
    this.csrfToken = me.csrfToken;
    return me;
  }

  tasks(query: Record<string, string>) {
    return this.json<{ items: Task[]; total: number }>('GET', `/api/tasks?${new URLSearchParams(query)}`);
  }
  detail(id: string) {
    return this.json<TaskDetail>('GET', `/api/inbox/tasks/${id}`);
  }
  definitions() {
    return this.json<{ processId: string; name: string | null }[]>('GET', '/api/process-definitions');
  }
  xml(key: string) {
    return this.request('GET', `/api/process-definitions/${key}/xml`).then((r) => r.text());
  }
  claim(id: string) {
    return this.json<Task>('POST', `/api/tasks/${id}/claim`, {});
  }
  unclaim(id: string) {
    return this.json<Task>('POST', `/api/tasks/${id}/unclaim`, {});
  }
  complete(id: string, variables: Record<string, unknown>) {
    return this.json<{ ok: boolean }>('POST', `/api/tasks/${id}/complete`, { variables });
  }
  async signOut(): Promise<void> {
    await fetch('/auth/sign-out', { method: 'POST', headers: { 'x-csrf-token': this.csrfToken ?? '' } });
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.request(method, path, body)).json() as Promise<T>;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401) {
      location.assign(signInUrl());
      throw new ApiError(401, 'UNAUTHORIZED', 'Your session ended; sign in again.');
    }
    if (!res.ok) {
      const error = (await res.json().catch(() => null))?.error;
      throw new ApiError(res.status, error?.code ?? 'ERROR', error?.message ?? `${method} ${path} answered ${res.status}`, error?.details);
    }
    return res;
  }
}
