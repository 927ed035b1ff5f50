/**
 * Files deployed together with the diagram: the forms its user tasks link to
 * (.form), the decisions its business rule tasks evaluate (.dmn) and the
 * agent definitions its agent tasks name (.agent.json). Kept
 * with the draft, shown as chips beside Deploy, removable one by one.
 */
export interface Attachment {
  name: string;
  content: string;
}

export class Attachments {
  private items: Attachment[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly changed: () => void,
  ) {}

  all(): Attachment[] {
    return [...this.items];
  }

  /** Replaces the list (a restored draft, a new diagram). */
  set(items: Attachment[]): void {
    this.items = [...items];
    this.render();
  }

  /** Adds files; one with the same name replaces the earlier one. */
  add(items: Attachment[]): void {
    for (const item of items) this.items = [...this.items.filter((a) => a.name !== item.name), item];
    this.render();
    this.changed();
  }

  private remove(name: string): void {
    this.items = this.items.filter((a) => a.name !== name);
    this.render();
    this.changed();
  }

  private render(): void {
    this.container.replaceChildren(
      ...this.items.map((a) => {
        const chip = document.createElement('span');
        chip.className = 'attachment';
        chip.dataset.name = a.name;
        chip.textContent = a.name;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.title = `Do not deploy ${a.name} with the diagram`;
        remove.setAttribute('aria-label', `Remove ${a.name}`);
        remove.textContent = '×';
        remove.addEventListener('click', () => this.remove(a.name));
        chip.append(remove);
        return chip;
      }),
    );
  }
}
