/**
 * Writes one batch's archive durably (issue #13): to a temporary file,
 * fsync'd, renamed into place, and the directory fsync'd, all before the
 * batch's delete commits. A crash before the rename leaves a `.partial` file
 * (never read as an archive); a crash after it and before the commit leaves
 * an archive of instances that are still in the database, which the next
 * pass archives again: at worst a duplicate, never a loss.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { archiveLines, type ArchivedChain } from './archive-format.js';

// Compressed on libuv's thread pool: a batch's archive is megabytes, too long for the event loop.
const gzip = promisify(gzipCallback);

/** Creates the directory (owner and group only) and checks this process can write there: a read-only one fails the start, not every batch. */
export async function ensureArchiveDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  await access(dir, constants.W_OK);
}

/** The file name: when it was written (sortable), and a random part so two engines' batches never collide. */
export function archiveFileName(at: Date): string {
  return `weft-history-${at.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.ndjson.gz`;
}

/** Writes the chains and returns the file's path once it is on disk. */
export async function writeArchive(dir: string, chains: ArchivedChain[], at: Date): Promise<string> {
  const name = archiveFileName(at);
  const path = join(dir, name);
  const partial = `${path}.partial`;
  const file = await open(partial, 'wx', 0o640);
  try {
    await file.writeFile(await gzip(archiveLines(chains, at)));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(partial, path);
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  return path;
}
