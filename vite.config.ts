import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import { pageScripts } from './extension/build.js';
import manifest from './manifest.json' with { type: 'json' };

/**
 * `npx vite build` → the unpacked Chromium extension in dist/chromium/.
 * crxjs reads the root manifest.json (service worker, options and popup pages);
 * pageScripts() adds the on-demand page scripts (page/detector.js, page/filler.js) as
 * plain IIFE files: no content script is declared, nothing runs on a page until a fill.
 */
export default defineConfig({
  build: {
    outDir: 'dist/chromium',
    emptyOutDir: true,
    target: 'chrome116',
    minify: false,
    sourcemap: false,
  },
  resolve: {
    // shared/import/csv.ts: csv-parse's Node build needs Node's Buffer; its browser build
    // is the same parser with a bundled polyfill (the CLI keeps the faster Node build).
    alias: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' },
  },
  plugins: [crx({ manifest }), pageScripts()],
});
