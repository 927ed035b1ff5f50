/**
 * What the soak counts as a server error: any 5xx, except a 503 that carries
 * Retry-After — the engine's answer while Postgres or Redis is down, which
 * tells the client to come back and is the right answer then.
 */
export function isServerError(status: number, headers: Headers): boolean {
  if (status < 500) return false;
  return !(status === 503 && headers.has('retry-after'));
}
