/**
 * The CLI's small REST client for a running Weft: WEFT_URL / --url and
 * WEFT_TOKEN / --token. The token goes only into the Authorization header;
 * nothing here prints it or puts it into an error.
 */
export const DEFAULT_URL = 'http://localhost:3000';

/** The server answered with an error body `{error: {code, message, details?}}` (or something else we could not read). */
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

/** No server answered at the address (refused, unknown host, timed out). */
export class UnreachableError extends Error {}

/** A mistake on the command line itself (a --var that is not JSON, a missing file): exit 1 with its message. */
export class UsageError extends Error {}

export interface Connection {
  url: string;
  token?: string;
}

export function connectionOf(opts: { url?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): Connection {
  const url = (opts.url ?? env.WEFT_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  const token = opts.token ?? env.WEFT_TOKEN;
  return { url, token: token || undefined };
}

export class ApiClient {
  constructor(readonly connection: Connection) {}

  get<T = any>(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return this.request<T>('GET', qs ? `${path}?${qs}` : path);
  }

  post<T = any>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  }

  postForm<T = any>(path: string, form: FormData): Promise<T> {
    return this.request<T>('POST', path, { body: form });
  }

  /** The raw response of a long request (the event stream); errors are thrown as for any other. */
  async stream(path: string, signal?: AbortSignal): Promise<Response> {
    const res = await this.send('GET', path, { headers: { accept: 'text/event-stream' }, signal });
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  private async request<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.send(method, path, init);
    if (!res.ok) throw await errorOf(res);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: string, path: string, init: RequestInit): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (this.connection.token) headers.authorization = `Bearer ${this.connection.token}`;
    try {
      return await fetch(this.connection.url + path, { ...init, method, headers });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new UnreachableError(`Cannot reach Weft at ${this.connection.url} (${why}). Is it running? Set WEFT_URL or --url.`);
    }
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code) return new ApiError(res.status, body.error.code, body.error.message ?? '', body.error.details);
  } catch {
    // not JSON: a proxy's page, say
  }
  return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText);
}
