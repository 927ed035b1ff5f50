/**
 * Every call the modeler makes to Weft's REST API, in one place.
 *
 * Credentials (shared/weft-fetch.ts): the signed-in session's cookie, with its
 * CSRF token (from GET /api/me) in X-CSRF-Token on changes; or, without a
 * session, an API token pasted for this tab (sessionStorage) sent as a Bearer
 * token. A 401 offers to sign in or paste a token.
 */
import { WeftFetch, type TokenPrompt } from '../shared/weft-fetch.js';


export interface ModelProblem {
  file: string;
  elementId?: string;
  elementKind?: string;
  field?: string;
  message: string;
}

export interface DeployedProcess {
  key: string;
  processId: string;
  version: number;
  name: string | null;
}

/** Deployed, but will not work as it stands (an agent whose model is not configured). */
export interface DeployWarning {
  file: string;
  elementId?: string;
  field?: string;
  setting: string;
  message: string;
}

export interface ProcessDefinition extends DeployedProcess {
  deploymentId: string;
  resourceName: string;
  createdAt: string;
}

export interface InstanceSummary {
  id: string;
  processId: string;
  version: number;
  state: string;
}

/** An API refusal: `{ error: { code, message, details } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { problems?: ModelProblem[]; [key: string]: unknown },
  ) {
    super(message);
  }
}

/** Asks the person for a token when none is stored or the stored one is refused. */
export type { TokenPrompt };

export class ApiClient {
  private readonly http: WeftFetch;

  constructor(promptForToken: TokenPrompt) {
    this.http = new WeftFetch(promptForToken, apiError);
  }

  get token(): string | null {
    return this.http.token;
  }

  async listDefinitions(): Promise<ProcessDefinition[]> {
    return (await this.json<{ items: ProcessDefinition[] }>('/api/process-definitions')).items;
  }

  async definitionXml(key: string): Promise<string> {
    const res = await this.request(`/api/process-definitions/${encodeURIComponent(key)}/xml`);
    return res.text();
  }

  /** The .dmn file the latest version of a decision was deployed in; null when none is deployed. */
  async decisionXml(decisionId: string): Promise<{ xml: string; resourceName: string } | null> {
    try {
      const res = await this.request(`/api/decisions/${encodeURIComponent(decisionId)}/xml`);
      const resourceName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${decisionId}.dmn`;
      return { xml: await res.text(), resourceName };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  /** Deploys the files in one deployment; features list what else they stored under their own keys (`forms`, `agents`). */
  async deploy(files: { name: string; content: string; type?: string }[]): Promise<{ id: string; processes: DeployedProcess[]; warnings?: DeployWarning[]; [key: string]: unknown }> {
    const form = new FormData();
    for (const f of files) form.append('files', new Blob([f.content], { type: f.type ?? 'application/xml' }), f.name);
    return this.json('/api/deployments', { method: 'POST', body: form });
  }

  async startInstance(body: { processId: string; version?: number; variables: Record<string, unknown> }): Promise<InstanceSummary> {
    return this.json('/api/process-instances', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /**
   * Whether a form is deployed; undefined when it cannot tell. Never asks for
   * a token: checks while drawing must not interrupt with a dialog.
   */
  async formExists(formId: string): Promise<boolean | undefined> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      const res = await fetch(`/api/forms/${encodeURIComponent(formId)}`, { headers, credentials: 'same-origin' });
      if (res.ok) return true;
      if (res.status !== 404) return undefined;
      // A Weft without forms (no people feature) has no such route: that says nothing about the form.
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      return body?.error?.message?.startsWith('No route') ? undefined : false;
    } catch {
      return undefined;
    }
  }

  /** The latest deployed version of a form, or null when there is none. */
  async form(formId: string): Promise<{ formId: string; version: number; schema: Record<string, unknown> } | null> {
    try {
      return await this.json(`/api/forms/${encodeURIComponent(formId)}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  /** The templates, without asking for a token (undefined when not signed in yet): for the panel at start. */
  async elementTemplatesQuietly(): Promise<unknown[] | undefined> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      const res = await fetch('/api/element-templates', { headers, credentials: 'same-origin' });
      return res.ok ? ((await res.json()) as unknown[]) : undefined;
    } catch {
      return undefined;
    }
  }

  async elementTemplates(): Promise<unknown[]> {
    return this.json('/api/element-templates');
  }

  /** Where a person can follow an instance: the operations page. */
  instanceUrl(id: string): string {
    return `/operations?instance=${encodeURIComponent(id)}`;
  }

  /** The instance as the API returns it (opens in the browser with a session; with a token, through the operations page). */
  instanceJsonUrl(id: string): string {
    return `/api/process-instances/${encodeURIComponent(id)}`;
  }

  private json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return this.http.json<T>(path, init);
  }

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    return this.http.request(path, init);
  }
}

async function apiError(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string; details?: ApiError['details'] } };
    return new ApiError(res.status, error.code, error.message, error.details);
  } catch {
    return new ApiError(res.status, 'HTTP_' + res.status, text || res.statusText);
  }
}
