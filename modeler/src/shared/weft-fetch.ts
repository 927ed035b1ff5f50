/**
 * How the pages talk to Weft's API. By default with the signed-in session:
 * the browser sends its httpOnly cookie, and changes carry the session's CSRF
 * token. Without a session a 401 asks for an API token (the admin token has
 * no account to sign in with) — one dialog at a time — and the request is
 * sent again.
 *
 * A pasted token is kept in this tab's sessionStorage, never in localStorage:
 * localStorage keeps it on disk with no end, for every tab and any later
 * script of the origin, long after the person is done. sessionStorage ends
 * with the tab and survives only its reloads and page changes (memory alone
 * would ask again on each); a script running in the page could read the
 * token from memory too, so memory would buy no more than that.
 */
export const TOKEN_KEY = 'weft.apiToken';

/** Earlier pages kept the token in localStorage: move it to this tab, off the disk. */
function forgetStoredToken(): void {
  const legacy = localStorage.getItem(TOKEN_KEY);
  if (legacy === null) return;
  localStorage.removeItem(TOKEN_KEY);
  if (!sessionStorage.getItem(TOKEN_KEY)) sessionStorage.setItem(TOKEN_KEY, legacy);
}

export type TokenPrompt = (reason?: string) => Promise<string>;

export class WeftFetch {
  private csrf?: Promise<string | null>;
  private asking?: Promise<string>;

  constructor(
    private readonly promptForToken: TokenPrompt,
    /** Turns a refused response (not 401) into the error the page throws. */
    private readonly toError: (res: Response) => Promise<Error>,
  ) {
    forgetStoredToken();
  }

  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
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
        // A refused token is forgotten at once: kept, it would be sent before the session on every
        // later page of the tab, and a person who then signs in would be refused again and again.
        if (token) this.forgetToken();
        token = await this.askToken(token ? 'That token was refused; paste a valid API token.' : undefined);
        continue;
      }
      if (!res.ok) throw await this.toError(res);
      return res;
    }
  }

  /** Forget this tab's token (signing out, or a token the server refused). */
  forgetToken(): void {
    sessionStorage.removeItem(TOKEN_KEY);
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
      sessionStorage.setItem(TOKEN_KEY, token);
      this.asking = undefined;
      return token;
    });
    return this.asking;
  }
}
