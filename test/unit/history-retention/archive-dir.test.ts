/** The archive directory is checked at start: created for owner and group only, and refused when this process cannot write there. */
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureArchiveDir } from '../../../engine/features/history-retention/archive-writer.js';

describe('ensureArchiveDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'weft-archive-dir-'));
  afterAll(() => {
    chmodSync(root, 0o700);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a missing directory with mode 0750', async () => {
    const dir = join(root, 'history', 'archive');
    await ensureArchiveDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o750 & ~process.umask());
  });

  // root may write anywhere, so only another user sees the refusal.
  it.skipIf(process.getuid?.() === 0)('refuses a directory it cannot write to', async () => {
    const dir = join(root, 'read-only');
    await ensureArchiveDir(dir);
    chmodSync(dir, 0o550);
    await expect(ensureArchiveDir(dir)).rejects.toThrow(/EACCES/);
  });
});
