/**
 * The favicon every page links (`<link rel="icon" href="/favicon.svg">`):
 * a small SVG — a shuttle's thread crossing three warp lines — served at
 * `/favicon.svg` and at `/favicon.ico`, where browsers look unasked (modern
 * browsers render an SVG there too). Open, like the pages' assets.
 */
import { Router, type RequestHandler } from 'express';

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="#1f4e79"/>
<path d="M9 6v20M16 6v20M23 6v20" stroke="#9cc3e6" stroke-width="2.5" stroke-linecap="round"/>
<path d="M5 12c4 0 4 8 7.5 8S16 12 19.5 12 23 20 27 20" fill="none" stroke="#ffd166" stroke-width="3" stroke-linecap="round"/>
</svg>
`;

export function faviconRoutes(): Router {
  const router = Router();
  const send: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(FAVICON_SVG);
  };
  router.get('/favicon.svg', send);
  router.get('/favicon.ico', send);
  return router;
}
