/**
 * Which form ids exist, for the lint rule on user tasks. bpmnlint rules are
 * synchronous, so the catalog answers from what it knows (forms attached to
 * the diagram, lookups already answered) and looks up the rest in the
 * background, asking for a re-lint when an answer arrives. Until the page
 * configures it (and in Node tests) every form is "unknown" and nothing is reported.
 */
export type FormStatus = 'exists' | 'missing' | 'unknown';

/** Answers whether a form is deployed; undefined when it cannot tell (no credentials, network). */
type Lookup = (formId: string) => Promise<boolean | undefined>;

class FormCatalog {
  private attached = new Set<string>();
  private deployed = new Map<string, boolean>();
  private pending = new Set<string>();
  private lookup?: Lookup;
  private changed?: () => void;

  configure(lookup: Lookup, changed: () => void): void {
    this.lookup = lookup;
    this.changed = changed;
  }

  /** The ids of the .form files attached to the diagram (deployed with it). */
  setAttached(formIds: string[]): void {
    this.attached = new Set(formIds);
  }

  /** Forget what the server said (after a deploy, forms may have been added). */
  refresh(): void {
    this.deployed.clear();
  }

  status(formId: string): FormStatus {
    if (this.attached.has(formId)) return 'exists';
    const known = this.deployed.get(formId);
    if (known !== undefined) return known ? 'exists' : 'missing';
    this.look(formId);
    return 'unknown';
  }

  private look(formId: string): void {
    if (!this.lookup || this.pending.has(formId)) return;
    this.pending.add(formId);
    this.lookup(formId)
      .then((exists) => {
        if (exists === undefined) return;
        this.deployed.set(formId, exists);
        this.changed?.();
      })
      .finally(() => this.pending.delete(formId));
  }
}

export const formCatalog = new FormCatalog();

/** The form id a .form file declares (form-js schemas carry it as `id`). */
export function formIdOf(content: string): string | undefined {
  try {
    const id = (JSON.parse(content) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
