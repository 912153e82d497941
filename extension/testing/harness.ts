/**
 * Test support (Node): Debian's Chromium through Playwright, a loopback HTTP server for
 * fixture pages, and the page scripts bundled exactly as the build bundles them.
 */
import { build } from 'esbuild';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright';
import { bundlePageScript, PAGE_ENTRIES } from '../build.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

export interface Site {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The same server under another origin (http://localhost:PORT). */
  readonly altOrigin: string;
  /** Serve this HTML at a fresh path; returns the path. */
  add(html: string, path?: string): string;
  close(): Promise<void>;
}

export async function serve(): Promise<Site> {
  const pages = new Map<string, string>();
  let n = 0;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const html = pages.get(path);
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (req.method === 'POST') req.resume();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    altOrigin: `http://localhost:${port}`,
    add(html, path) {
      const p = path ?? `/p${++n}`;
      pages.set(p, html);
      return p;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The two page scripts as the extension ships them, concatenated. */
export async function shippedPageScripts(): Promise<string> {
  const parts = await Promise.all(PAGE_ENTRIES.map(({ entry }) => bundlePageScript(entry)));
  return parts.join('\n;\n');
}

/** test-page.ts: exposes which elements detection picked (by id), for assertions. */
export async function testPageScript(): Promise<string> {
  return bundlePageScript(fileURLToPath(new URL('./test-page.ts', import.meta.url)));
}

/** Bundle a small TSX app (React 19 from node_modules) into one classic script. */
export async function bundleApp(source: string): Promise<string> {
  const r = await build({
    stdin: { contents: source, loader: 'tsx', resolveDir: REPO, sourcefile: 'app.tsx' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

export function html(body: string, head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>t</title>${head}</head><body>${body}</body></html>`;
}
