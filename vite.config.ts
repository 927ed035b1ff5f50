import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser pages live in modeler/: one HTML file per page (index.html → `/`,
// modeler.html → `/modeler`, inbox.html → `/inbox`, …), each with its code in
// modeler/src/<page>/. They are built to dist/pages and served by the Weft server.
const root = fileURLToPath(new URL('./modeler/', import.meta.url));
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), `${root}${f}`]),
);

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('./dist/pages/', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: pages },
  },
  plugins: [
    {
      name: 'weft-build-stamp',
      // scripts/ensure-build.mjs compares sources with this stamp.
      closeBundle() {
        writeFileSync(fileURLToPath(new URL('./dist/pages/.built', import.meta.url)), new Date().toISOString());
      },
    },
  ],
});
