/**
 * Child of idle-memory.ts: starts one engine process on DATABASE_URL (with
 * the HTTP API), lets it idle for a few seconds, and prints its memory as JSON.
 */
import { pino } from 'pino';
import { loadConfig } from '../engine/config.js';
import { startWeft } from '../engine/weft.js';

const weft = await startWeft({ config: { ...loadConfig(), port: 0 }, logger: pino({ level: 'warn' }), migrate: false });
await new Promise((r) => setTimeout(r, Number(process.env.IDLE_MS ?? 5000)));
(globalThis as { gc?: () => void }).gc?.();
const m = process.memoryUsage();
console.log(JSON.stringify({ rssMb: +(m.rss / 2 ** 20).toFixed(1), heapUsedMb: +(m.heapUsed / 2 ** 20).toFixed(1) }));
await weft.close();
process.exit(0);
