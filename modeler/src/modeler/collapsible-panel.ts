/**
 * A panel whose heading button shows or hides its body (the problems list),
 * remembered in localStorage so the choice outlives a reload. The button
 * carries the state (aria-expanded) for screen readers; the panel gets
 * `collapsed` for the layout.
 */
export function collapsiblePanel(panel: HTMLElement, toggle: HTMLButtonElement, body: HTMLElement, storageKey: string, changed: () => void = () => {}): void {
  const apply = (collapsed: boolean) => {
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.title = collapsed ? 'Show the problems' : 'Hide the problems';
    body.hidden = collapsed;
    panel.classList.toggle('collapsed', collapsed);
  };
  apply(read(storageKey));
  toggle.addEventListener('click', () => {
    const collapsed = toggle.getAttribute('aria-expanded') === 'true';
    apply(collapsed);
    try {
      localStorage.setItem(storageKey, collapsed ? 'collapsed' : 'expanded');
    } catch {
      // Storage disabled: the panel keeps its state until the page is closed.
    }
    changed();
  });
}

function read(storageKey: string): boolean {
  try {
    return localStorage.getItem(storageKey) === 'collapsed';
  } catch {
    return false;
  }
}
