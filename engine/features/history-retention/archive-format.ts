/**
 * The history archive's format (issue #13): one gzip'd NDJSON file per
 * retention batch, written and fsync'd before the batch's delete commits.
 *
 *   {"kind":"weft-history-archive","version":1,"writtenAt":…,"instances":n}
 *   {"kind":"instance","instance":{…header…},"chainHead":{"seq":"12","hash":"…"}}
 *   {"kind":"audit","row":{…ChainRow: every field as text, as hashed…}}   (the instance's rows, in chain order)
 *   … the next instance, its rows …
 *
 * A row carries every field the hash covers exactly as Postgres rendered it
 * (audit-chain.ts), so `verifyChain` recomputes each chain offline: `weft
 * audit verify-archive <file>` (archive-verify.ts). The head's seq lets the
 * verifier tell a chain cut short in the archive from a whole one.
 */
import type { ChainRow } from '../../audit/audit-chain.js';

export const ARCHIVE_KIND = 'weft-history-archive';
export const ARCHIVE_VERSION = 1;

/** What the archive keeps of an instance's header row (not its state: the audit is the record). */
export interface ArchivedInstance {
  id: string;
  processId: string;
  version: number;
  definitionKey: string;
  businessKey: string | null;
  status: string;
  createdAt: string;
  endedAt: string;
  parentInstanceId: string | null;
  /** The TTL in days that made it due. */
  ttlDays: number;
}

export type ArchiveLine =
  | { kind: typeof ARCHIVE_KIND; version: number; writtenAt: string; instances: number }
  | { kind: 'instance'; instance: ArchivedInstance; chainHead: { seq: string; hash: string } | null }
  | { kind: 'audit'; row: ChainRow };

export interface ArchivedChain {
  instance: ArchivedInstance;
  chainHead: { seq: string; hash: string } | null;
  rows: ChainRow[];
}

export function archiveLines(chains: ArchivedChain[], writtenAt: Date): string {
  const lines: ArchiveLine[] = [{ kind: ARCHIVE_KIND, version: ARCHIVE_VERSION, writtenAt: writtenAt.toISOString(), instances: chains.length }];
  for (const chain of chains) {
    lines.push({ kind: 'instance', instance: chain.instance, chainHead: chain.chainHead });
    for (const row of chain.rows) lines.push({ kind: 'audit', row });
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

/** Reads the lines back into chains; throws an Error naming the line for anything that is not this format. */
export function parseArchive(text: string): ArchivedChain[] {
  const chains: ArchivedChain[] = [];
  let header = false;
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let line: ArchiveLine;
    try {
      line = JSON.parse(raw) as ArchiveLine;
    } catch {
      throw new Error(`line ${index + 1} is not JSON`);
    }
    if (!header) {
      if (line.kind !== ARCHIVE_KIND || line.version !== ARCHIVE_VERSION) throw new Error(`line 1 is not a ${ARCHIVE_KIND} version ${ARCHIVE_VERSION} header`);
      header = true;
      continue;
    }
    if (line.kind === 'instance') chains.push({ instance: line.instance, chainHead: line.chainHead, rows: [] });
    else if (line.kind === 'audit' && chains.length > 0) chains[chains.length - 1].rows.push(line.row);
    else throw new Error(`line ${index + 1} is neither an instance nor an audit row of one`);
  }
  if (!header) throw new Error('the file is empty');
  return chains;
}
