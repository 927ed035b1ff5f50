/**
 * The inbox's REST calls, through the pages' shared client (shared/weft-fetch.ts):
 * the signed-in session (cookie, CSRF token on changes) or an API token kept
 * for this tab — the admin token or a personal token, pasted on the sign-in
 * page or on another page of the tab. Without either, a 401 sends the person
 * to sign in (the inbox's people mostly have accounts, not tokens).
 */
import { WeftFetch } from '../shared/weft-fetch.js';

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

/** A task as the list shows it: only the variables its process chose for cards (GET /api/inbox/tasks). */
export interface TaskCard {
  id: string;
  processInstanceId: string;
  processId: string;
  processName: string | null;
  elementId: string;
  name: string | null;
  state: string;
  assignee: string | null;
  priority: number;
  dueDate: string | null;
  createdAt: string;
  completedAt: string | null;
  fields: { name: string; value: unknown }[];
}

export interface CardPage {
  items: TaskCard[];
  total: number;
}

export interface TaskDetail {
  task: Task;
  definitionKey: string | null;
  processName: string | null;
  form: { formId: string; version: number; schema: Record<string, unknown> } | null;
  history: { at: string; actor: string; type: string; elementId: string | null }[];
}

export interface Me {
  id: string;
  user: string | null;
  /** The name tasks are assigned to the caller by (`admin` for the admin token). */
  assignee: string;
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

/** The inbox's answer to a 401: the sign-in page, which offers a password or a token, then comes back. */
function goSignIn(): Promise<string> {
  location.assign(signInUrl());
  return new Promise(() => undefined);
}

export class InboxApi {
  private readonly http = new WeftFetch(goSignIn, async (res) => {
    const error = ((await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    return new ApiError(res.status, error?.code ?? 'ERROR', error?.message ?? `Weft answered ${res.status}`, error?.details);
  });

  /** Whether this tab works with a pasted API token (not a session). */
  get usesToken(): boolean {
    return this.http.token !== null;
  }

  me(): Promise<Me> {
    return this.http.json<Me>('/api/me');
  }
  cards(query: Record<string, string>) {
    return this.http.json<CardPage & { counts: { mine: number; claimable: number } }>(`/api/inbox/tasks?${new URLSearchParams(query)}`);
  }
  completed(limit: number, offset: number) {
    return this.http.json<CardPage>(`/api/inbox/completed?${new URLSearchParams({ limit: String(limit), offset: String(offset) })}`);
  }
  detail(id: string) {
    return this.http.json<TaskDetail>(`/api/inbox/tasks/${encodeURIComponent(id)}`);
  }
  definitions() {
    return this.http.json<{ items: { processId: string; name: string | null }[] }>('/api/process-definitions');
  }
  async xml(key: string): Promise<string> {
    return (await this.http.request(`/api/process-definitions/${encodeURIComponent(key)}/xml`)).text();
  }
  claim(id: string, assignee: string) {
    return this.post<Task>(`/api/tasks/${encodeURIComponent(id)}/claim`, { assignee });
  }
  unclaim(id: string) {
    return this.post<Task>(`/api/tasks/${encodeURIComponent(id)}/unclaim`, {});
  }
  complete(id: string, variables: Record<string, unknown>) {
    return this.post<{ ok: boolean }>(`/api/tasks/${encodeURIComponent(id)}/complete`, { variables });
  }
  /** Ends the session, if any, and forgets this tab's token. */
  async signOut(): Promise<void> {
    this.http.forgetToken();
    const csrf = await fetch('/api/me', { headers: { accept: 'application/json' } })
      .then(async (r) => (r.ok ? ((await r.json()) as Me).csrfToken : null))
      .catch(() => null);
    await fetch('/auth/sign-out', { method: 'POST', headers: { 'x-csrf-token': csrf ?? '' } });
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.http.json<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
}
