/**
 * The header every page shows: Weft (the entry page) and links to the
 * Modeler, the Inbox and Operations, the current page marked with
 * aria-current="page". A page puts an empty `<nav data-weft-nav>` where the
 * header goes and loads this module; the links are written here only, so
 * the pages cannot disagree about them.
 */
import './nav.css';

export interface NavLink {
  href: string;
  label: string;
}

export const PAGES: readonly NavLink[] = [
  { href: '/modeler', label: 'Modeler' },
  { href: '/inbox', label: 'Inbox' },
  { href: '/operations', label: 'Operations' },
];

/** Which link is the page at `pathname` (the server also serves /modeler/ and /modeler.html). */
export function currentHref(pathname: string): string | undefined {
  const path = pathname.replace(/\.html$/, '').replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/index') return '/';
  return PAGES.find((p) => path === p.href)?.href;
}

/** Fills `nav` with the brand and the page links for the page at `pathname`. */
export function renderNav(nav: HTMLElement, pathname: string): void {
  const current = currentHref(pathname);
  nav.classList.add('weft-nav');
  if (!nav.hasAttribute('aria-label')) nav.setAttribute('aria-label', 'Weft pages');
  const link = (href: string, label: string, className?: string) => {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = label;
    if (className) a.className = className;
    if (href === current) a.setAttribute('aria-current', 'page');
    return a;
  };
  const list = document.createElement('ul');
  for (const page of PAGES) {
    const item = document.createElement('li');
    item.append(link(page.href, page.label));
    list.append(item);
  }
  nav.replaceChildren(link('/', 'Weft', 'weft-nav-brand'), list);
}

for (const nav of document.querySelectorAll<HTMLElement>('nav[data-weft-nav]')) renderNav(nav, location.pathname);
