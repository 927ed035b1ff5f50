/**
 * The soak, short: `scripts/soak.ts` for 60 s (SIGKILLed engines and workers,
 * a FLUSHALL, a Postgres restart, a Redis stop) must lose nothing, do nothing twice and
 * answer no client with a server error. The full run is `npm run soak`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/soak.ts', import.meta.url));

function runSoak(seconds: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, SOAK_SECONDS: String(seconds) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the soak, 60 seconds', () => {
  it('loses nothing, doubles nothing and answers no server error under kills, a FLUSHALL, a Postgres restart and a Redis stop', async () => {
    // given / when
    const { code, stdout, stderr } = await runSoak(60);

    // then
    const line = stdout.trim().split('\n').at(-1) ?? '';
    let figures: Record<string, number>;
    try {
      figures = JSON.parse(line);
    } catch {
      throw new Error(`the soak printed no figures (exit ${code}):\n${stderr.slice(-4000)}`);
    }
    expect(Object.keys(figures)).toEqual(['seconds', 'started', 'completed', 'lost', 'doubled', 'serverErrors', 'maxStallMs']);
    expect(figures.started, stderr.slice(-4000)).toBeGreaterThan(0);
    expect({ lost: figures.lost, doubled: figures.doubled, serverErrors: figures.serverErrors }, stderr.slice(-4000)).toEqual({ lost: 0, doubled: 0, serverErrors: 0 });
    expect(figures.completed).toBe(figures.started);
    expect(code).toBe(0);
  }, 420_000);
});
