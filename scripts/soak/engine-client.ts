/**
 * The soak's REST client over several engines: round robin, on to the next
 * engine when one does not answer (it is being killed), and a count of the
 * server errors it met (see server-errors.ts).
 */
import { isServerError } from './server-errors.js';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export class EngineClient {
  serverErrors = 0;
  /** Requests no engine answered (all down, or too slow): not server errors, but worth a line in the log. */
  unanswered = 0;
  /** Answers "503, retry after": the engine said a backing service is down. */
  retryLater = 0;
  readonly samples: string[] = [];
  private turn = 0;

  constructor(
    private readonly urls: string[],
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** The answer of the first engine that gives one, or null when none did. */
  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer | null> {
    const first = this.turn++ % this.urls.length;
    for (let i = 0; i < this.urls.length; i++) {
      const url = this.urls[(first + i) % this.urls.length];
      let res: Response;
      try {
        res = await fetch(url + path, {
          method,
          headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch {
        continue; // not listening (killed) or too slow: try the next engine
      }
      const text = await res.text().catch(() => '');
      if (isServerError(res.status, res.headers)) {
        this.serverErrors++;
        if (this.samples.length < 20) this.samples.push(`${res.status} ${method} ${path}: ${text.slice(0, 300)}`);
      }
      if (res.status === 503 && res.headers.has('retry-after')) this.retryLater++;
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed, headers: res.headers };
    }
    this.unanswered++;
    return null;
  }
}
