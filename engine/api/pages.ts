/**
 * Serves the built browser pages (dist/pages, made by `npm run build`):
 * `/` the entry page, `/modeler`, `/inbox`, … each `<name>.html`.
 * Built assets have content hashes in their names, so they may be cached long.
 */
import { existsSync } from 'node:fs';
import express from 'express';

export function pageRoutes(pagesDir: string): express.Router {
  const router = express.Router();
  if (!existsSync(pagesDir)) return router;
  // A missing asset falls through to the JSON 404 (with fallthrough: false, send's error is not exposed: a 500).
  router.use('/assets', express.static(`${pagesDir}/assets`, { immutable: true, maxAge: '365d' }));
  router.use(express.static(pagesDir, { extensions: ['html'], index: 'index.html', dotfiles: 'ignore' }));
  return router;
}
