/** Starts the real app on an ephemeral port over a FakeEngine; `api()` sends authenticated requests. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { createApp, type AppDeps } from '../../../engine/api/app.js';
import { listen } from '../../../engine/api/server.js';
import { FakeEngine } from './fake-engine.js';

export const TOKEN = 'test-admin-token-0123456789';

export interface Harness {
  engine: FakeEngine;
  base: string;
  logs: string[];
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function startApp(extra: Partial<AppDeps> = {}): Promise<Harness> {
  const engine = new FakeEngine();
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const app = createApp({ engine, adminToken: TOKEN, logger: pino(sink), ...extra });
  const server: Server = await listen(app, 0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    engine,
    base,
    logs,
    api(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TOKEN}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(base + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // fetch keeps connections alive
      }),
  };
}
