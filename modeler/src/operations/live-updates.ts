/**
 * The page's side of GET /api/events: a server-sent event stream read with
 * fetch (EventSource cannot send the tab's API token in a header, and a
 * token never goes into a URL). Each `instances` event names the instances
 * a commit changed, or says "all"; the page refetches what it shows. When
 * the stream ends (the server closes it every few minutes, a restart, a
 * network blip) it is opened again after a pause that grows, and the page
 * refetches everything once, for what it may have missed meanwhile.
 *
 * A browser opens at most six HTTP/1.1 connections to one origin, and each
 * open stream holds one: a tab in the background lets its stream go and
 * opens it again when it is shown, so a few forgotten tabs cannot starve
 * the page the operator is looking at.
 */
import type { OperationsApi } from './api.js';

export type Changed = { ids: string[] } | { all: true };

export interface LiveUpdates {
  stop(): void;
}

export function liveUpdates(api: OperationsApi, onChange: (change: Changed) => void, onStatus: (connected: boolean) => void): LiveUpdates {
  let stopped = false;
  let abort = new AbortController();
  let pause = 1000;

  let hidden = document.hidden;
  let wake: () => void = () => undefined;
  document.addEventListener('visibilitychange', () => {
    hidden = document.hidden;
    if (hidden) abort.abort();
    else wake();
  });

  const run = async () => {
    while (!stopped) {
      if (hidden) {
        onStatus(false);
        await new Promise<void>((resolve) => (wake = resolve));
        pause = 1000;
        continue;
      }
      abort = new AbortController();
      let connected = false;
      try {
        const res = await api.events(abort.signal);
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = parseEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (event?.name === 'ready') {
              connected = true;
              pause = 1000;
              onStatus(true);
              onChange({ all: true }); // whatever changed while there was no stream
            } else if (event?.name === 'instances') {
              onChange(JSON.parse(event.data) as Changed);
            }
          }
        }
      } catch {
        // aborted, refused or cut: try again below
      }
      if (connected || !stopped) onStatus(false);
      if (stopped) return;
      if (hidden) continue;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 30_000);
    }
  };
  void run();
  return {
    stop() {
      stopped = true;
      abort.abort();
    },
  };
}

function parseEvent(block: string): { name: string; data: string } | null {
  let name = 'message';
  let data = '';
  let any = false;
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) (name = line.slice(6).trim()), (any = true);
    else if (line.startsWith('data:')) (data += line.slice(5).trim()), (any = true);
  }
  return any ? { name, data } : null;
}
