/**
 * Verifies an archive file offline (`weft audit verify-archive <file>`):
 * each instance's chain recomputed by the same code as GET
 * /api/process-instances/:id/audit/verify (engine/audit/audit-chain.ts),
 * against the length its head had when it was archived.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { verifyChain, type ChainVerdict } from '../../audit/audit-chain.js';
import { parseArchive } from './archive-format.js';

export interface ArchiveVerdict {
  valid: boolean;
  instances: number;
  events: number;
  /** The chains that do not verify, each with the verifier's verdict. */
  invalid: { instanceId: string; verdict: ChainVerdict }[];
}

export function verifyArchiveText(text: string): ArchiveVerdict {
  const chains = parseArchive(text);
  const invalid: ArchiveVerdict['invalid'] = [];
  let events = 0;
  for (const chain of chains) {
    const foreign = chain.rows.find((r) => r.processInstanceId !== chain.instance.id);
    const verdict: ChainVerdict = foreign
      ? { valid: false, events: chain.rows.length, firstMismatch: { id: foreign.id, type: foreign.type, at: foreign.at, reason: 'belongs to another instance than the one it is archived under' } }
      : verifyChain(chain.rows, Number(chain.chainHead?.seq ?? 0));
    events += chain.rows.length;
    if (!verdict.valid) invalid.push({ instanceId: chain.instance.id, verdict });
  }
  return { valid: invalid.length === 0, instances: chains.length, events, invalid };
}

/** Reads a file (gzip'd or plain NDJSON) and verifies it. */
export async function verifyArchiveFile(path: string): Promise<ArchiveVerdict> {
  const bytes = await readFile(path);
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return verifyArchiveText(text);
}
