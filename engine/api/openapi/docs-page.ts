/**
 * /api/docs: a page that shows /api/openapi.json with Swagger UI. Like the
 * other pages it is open (HTML and scripts, no data): the document itself is
 * fetched with the reader's own credentials. Swagger UI's files come from
 * node_modules/swagger-ui-dist, named one by one (its index.html and
 * initializer, which point at a demo API, are not served), and the page's
 * own script is a file: the app's Content-Security-Policy (no inline script)
 * holds here unchanged.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const PAGE_DIR = fileURLToPath(new URL('./docs-page/', import.meta.url));

/** Swagger UI's files the page loads. */
const SWAGGER_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js'];
const PAGE_FILES = { '/api/docs': 'index.html', '/api/docs/docs.js': 'docs.js', '/api/docs/docs.css': 'docs.css' };

export function docsPage(): express.Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  for (const [path, file] of Object.entries(PAGE_FILES)) {
    router.get(path, (_req, res) => res.sendFile(join(PAGE_DIR, file), { headers: { 'cache-control': 'no-cache' } }));
  }
  for (const file of SWAGGER_ASSETS) {
    router.get(`/api/docs/assets/${file}`, (_req, res) => res.sendFile(join(SWAGGER_DIR, file), { maxAge: '1d' }));
  }
  return router;
}
