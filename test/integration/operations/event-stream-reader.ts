/** Reads a server-sent event stream in a test: waits for the first event that matches. */
export interface StreamEvent {
  event: string;
  data: string;
}

export async function readEvents(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: StreamEvent[] = [];
  let buffer = '';
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const waiting: { match: (e: StreamEvent) => boolean; resolve: (e: StreamEvent) => void }[] = [];
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return markEnded();
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
          }
          if (block.split('\n').every((l) => l.startsWith(':') || l.startsWith('retry:'))) continue;
          seen.push(event);
          for (const w of [...waiting]) if (w.match(event)) (waiting.splice(waiting.indexOf(w), 1), w.resolve(event));
        }
      }
    } catch {
      markEnded(); // aborted or cut
    }
  })();
  return {
    headers: res.headers,
    /** Resolves when the server ends the stream (or it is cut). */
    ended,
    next(match: (e: StreamEvent) => boolean, timeoutMs = 10_000): Promise<StreamEvent> {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event in ${timeoutMs} ms; saw ${JSON.stringify(seen)}`)), timeoutMs);
        waiting.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    close() {
      abort.abort();
    },
  };
}
