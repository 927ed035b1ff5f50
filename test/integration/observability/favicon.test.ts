/** The favicon: served without credentials at both addresses browsers use, and linked from every page's head. */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeft, type TestWeft } from '../../support/test-weft.js';
import { PAGES_DIR } from '../../../engine/weft.js';

describe('the favicon', () => {
  let t: TestWeft;
  beforeAll(async () => {
    t = await startTestWeft({ features: false, background: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is an SVG at /favicon.svg and /favicon.ico, open to anyone', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const res = await fetch(`${t.weft.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });

  it('is linked in the head of every built page', async () => {
    const pages = readdirSync(PAGES_DIR).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const page of pages) {
      const head = readFileSync(`${PAGES_DIR}/${page}`, 'utf8').split('</head>')[0];
      expect(head, page).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"');
      const res = await fetch(`${t.weft.url}/${page.replace(/\.html$/, '').replace(/^index$/, '')}`);
      expect(res.status, page).toBe(200);
    }
  });
});
