/**
 * Other spellings of one request path that a router, a proxy or a browser
 * might treat as the same: letter case, a trailing slash, doubled or dotted
 * segments, percent-encoded letters. Only `exact` is the route's own spelling.
 */
export function pathVariants(path: string): { path: string; exact: boolean }[] {
  // The first segment is the mount (`/api`, `/v2`); the variants spell what follows it, and it, differently.
  const [, api, rest] = /^(\/[^/]+)(\/.*)$/.exec(path)!;
  const first = rest.slice(1);
  const variants = [
    `${api}/${first[0].toUpperCase()}${first.slice(1)}`,
    `${api}${rest.toUpperCase()}`,
    `${api.toUpperCase()}${rest}`,
    `${api}${rest}/`,
    `${api}/${rest}`,
    `${api}/.${rest}`,
    `${api}/%${first.charCodeAt(0).toString(16)}${first.slice(1)}`,
    `${api}${rest.replace(/\/([^/]+)$/, (_m, last: string) => `/${encodeURIComponent(last).replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`)}`,
  ];
  return [{ path, exact: true }, ...[...new Set(variants)].filter((p) => p !== path).map((p) => ({ path: p, exact: false }))];
}
