/**
 * The diagram being edited, kept in localStorage on every change so a reload
 * (or a crash) loses nothing. `deployedXml` remembers what was last deployed
 * or opened, to tell whether there are unsaved changes.
 */
const KEY = 'weft.modeler.draft';

export interface Draft {
  xml: string;
  /** The XML as last opened or deployed; differs from `xml` when there are unsaved changes. */
  baseXml: string | null;
  fileName: string;
  /**
   * Attachments as drafts kept them before they were kept per diagram
   * (attachment-store.ts): read once, to give them to the draft's diagram; no longer written.
   */
  attachments?: { name: string; content: string }[];
  savedAt: string;
}

export function loadDraft(): Draft | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

export function saveDraft(draft: Omit<Draft, 'savedAt'>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or disabled: the diagram stays on the page; nothing else to do.
  }
}
