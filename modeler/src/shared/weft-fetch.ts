/**
 * How the pages talk to Weft's API: with an API token kept in localStorage
 * (`weft.apiToken`, shared by the pages), or without one with the signed-in
 * session (cookie, plus the session's CSRF token on changes). A 401 asks the
 * person for a token — one dialog at a time — and the request is sent again.
 */
export const TOKEN_KEY = 'weft.apiToken';

export type TokenPrompt = (reason?: string) => Promise<string>;

export class WeftFetch {
  private csrf?: Promise<string | null>;
  private asking?: Promise<string>;

  constructor(
    private readonly promptForToken: TokenPrompt,
    /** Turns a refused response (not 401) into the error the page throws. */
    private readonly toError: (res: Response) => Promise<Error>,
  ) {}

  get token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    let token = this.token;
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
        token = await this.askToken(token ? 'That token was refused; paste a valid API token.' : undefined);
        continue;
      }
      if (!res.ok) throw await this.toError(res);
      return res;
    }
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }

  /** The session's CSRF token, or null where there is no session (or no sign-in feature). */
  private csrfToken(): Promise<string | null> {
    this.csrf ??= fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(async (res) => (res.ok ? (((await res.json()) as { csrfToken?: string | null }).csrfToken ?? null) : null))
      .catch(() => null);
    return this.csrf;
  }

  /** One dialog at a time, however many requests are waiting for it. */
  private askToken(reason?: string): Promise<string> {
    this.asking ??= this.promptForToken(reason).then((given) => {
      const token = given.trim();
      localStorage.setItem(TOKEN_KEY, token);
      this.asking = undefined;
      return token;
    });
    return this.asking;
  }
}
