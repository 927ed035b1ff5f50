// Installs dependencies when they are missing or older than package-lock.json,
// so `npm start` and `npm test` work as single commands on a fresh clone.
// Plain Node with no dependencies: it runs before there are any.
import { spawnSync } from 'node:child_process';
import { lstatSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (file) => {
  try {
    return statSync(join(root, file)).mtimeMs;
  } catch {
    return undefined;
  }
};

const lock = mtime('package-lock.json');
const installed = mtime('node_modules/.package-lock.json');

// A node_modules that is a link (a git worktree sharing another checkout's) is that checkout's to keep:
// `npm ci` here would empty it for both.
const linked = (() => {
  try {
    return lstatSync(join(root, 'node_modules')).isSymbolicLink();
  } catch {
    return false;
  }
})();

if (!linked && (installed === undefined || (lock !== undefined && installed < lock))) {
  console.error(installed === undefined ? 'Installing dependencies (npm ci)…' : 'package-lock.json changed: reinstalling dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    console.error(result.error ? `npm ci failed: ${result.error.message}` : `npm ci failed (exit ${result.status})`);
    process.exit(result.status || 1);
  }
}
