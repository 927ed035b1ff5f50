// Builds the browser pages (vite build → dist/pages) when they are missing or
// older than their sources, so `npm start` and `npm test` serve current pages.
// Plain Node: it runs before anything else.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function builtAt() {
  try {
    return statSync(join(root, 'dist/pages/.built')).mtimeMs;
  } catch {
    return 0;
  }
}

// The modeler page imports the compiler's list of supported elements (plain data) from the engine.
const shared = ['engine/model/supported-elements.ts'].map((file) => statSync(join(root, file)).mtimeMs);
const sources = Math.max(newest(join(root, 'modeler')), statSync(join(root, 'vite.config.ts')).mtimeMs, statSync(join(root, 'package-lock.json')).mtimeMs, ...shared);
if (builtAt() < sources) {
  console.error('Building the browser pages (vite build)…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`vite build failed (exit ${result.status})`);
    process.exit(result.status || 1);
  }
}
