/**
 * The attachments of each diagram, kept in localStorage by the diagram's
 * process id: opening, importing or creating a diagram shows its own
 * attachments only, and a deploy sends only those. The process id is the
 * key because it is what a deploy versions (deploying the same id again is a
 * new version of the same process, which needs the same forms). A diagram
 * whose process id is edited takes its attachments with it (`rename`).
 * The least recently used diagrams are forgotten past MAX_DIAGRAMS.
 */
import type { Attachment } from './attachments.js';

const KEY = 'weft.modeler.attachments';
const MAX_DIAGRAMS = 50;

interface Entry {
  attachments: Attachment[];
  usedAt: string;
}
type Entries = Record<string, Entry>;

export class AttachmentStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The attachments of diagram `key` (none for a diagram never seen). */
  get(key: string): Attachment[] {
    return this.read()[key]?.attachments ?? [];
  }

  has(key: string): boolean {
    return key in this.read();
  }

  /** Remembers `attachments` as diagram `key`'s; an empty list forgets the diagram. */
  set(key: string, attachments: Attachment[]): void {
    const entries = this.read();
    if (attachments.length === 0) delete entries[key];
    else entries[key] = { attachments, usedAt: this.now().toISOString() };
    this.write(entries);
  }

  /** The diagram's process id changed from `from` to `to`: its attachments follow (replacing any `to` had). */
  rename(from: string, to: string): void {
    if (from === to) return;
    const entries = this.read();
    const moved = entries[from];
    delete entries[from];
    if (moved) entries[to] = moved;
    else delete entries[to];
    this.write(entries);
  }

  private read(): Entries {
    try {
      const parsed = JSON.parse(this.storage.getItem(KEY) ?? '{}') as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Entries) : {};
    } catch {
      return {};
    }
  }

  private write(entries: Entries): void {
    const kept = Object.entries(entries)
      .sort(([, a], [, b]) => b.usedAt.localeCompare(a.usedAt))
      .slice(0, MAX_DIAGRAMS);
    try {
      this.storage.setItem(KEY, JSON.stringify(Object.fromEntries(kept)));
    } catch {
      // Storage full or disabled: the attachments stay on the page until it is closed.
    }
  }
}
