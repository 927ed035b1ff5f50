/**
 * vitest global setup: builds the browser pages when their sources changed,
 * so a browser test run with `npx vitest run <file>` sees the current pages
 * (npm test does the same before vitest starts).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildPages(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/ensure-build.mjs', import.meta.url))], { stdio: 'inherit' });
}
