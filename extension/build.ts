/**
 * Build helpers (Node only): the page scripts are bundled as self-contained IIFE files
 * with esbuild and emitted into the extension package at fixed names (see
 * page/names.ts), so the service worker can inject them with
 * chrome.scripting.executeScript({files}). They are deliberately not crxjs "dynamic
 * scripts": those are also listed as web_accessible_resources for every http(s) page,
 * which would let any site detect the extension. Tests bundle the same entries the
 * same way.
 */
import { build, type Plugin as EsbuildPlugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { DETECTOR_FILE, FILLER_FILE, PASSKEY_BRIDGE_FILE, PASSKEY_SHIM_FILE } from './page/names.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export const PAGE_ENTRIES: ReadonlyArray<{ entry: string; fileName: string }> = [
  { entry: here('./page/detector.ts'), fileName: DETECTOR_FILE },
  { entry: here('./page/filler.ts'), fileName: FILLER_FILE },
  { entry: here('./page/passkey-shim.ts'), fileName: PASSKEY_SHIM_FILE },
  { entry: here('./page/passkey-bridge.ts'), fileName: PASSKEY_BRIDGE_FILE },
];

export interface BundleOptions {
  minify?: boolean;
  sourcemap?: boolean;
}

/**
 * shared/errors.ts creates zod schemas when it loads; the page scripts only need its
 * fail()/ok() (through shared/origin.ts). Resolve it to the zod-free errors-lite.ts. An
 * import of anything else from it fails the build loudly ("No matching export").
 */
const errorsLite: EsbuildPlugin = {
  name: 'blindfill:errors-lite',
  setup(b) {
    b.onResolve({ filter: /(^|\/)errors\.js$/ }, (args) => {
      if (!/[\\/]shared[\\/][^\\/]+\.ts$/.test(args.importer) && !args.path.includes('shared/')) return undefined;
      return { path: here('./page/errors-lite.ts') };
    });
  },
};

/** One self-contained IIFE (no imports, no exports), as the text of a classic script. */
export async function bundlePageScript(entry: string, opts: BundleOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome116',
    write: false,
    minify: opts.minify ?? false,
    sourcemap: opts.sourcemap ? 'inline' : false,
    legalComments: 'none',
    logLevel: 'silent',
    // The scripts may never print anything: a stray console call would be a leak risk.
    drop: ['debugger'],
    plugins: [errorsLite],
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced nothing for ${entry}`);
  return out.text;
}

/** Vite plugin: emit the page scripts into the extension package. */
export function pageScripts(opts: BundleOptions = {}): Plugin {
  return {
    name: 'blindfill:page-scripts',
    apply: 'build',
    async buildStart() {
      for (const { entry } of PAGE_ENTRIES) this.addWatchFile(entry);
    },
    async generateBundle() {
      for (const { entry, fileName } of PAGE_ENTRIES) {
        this.emitFile({ type: 'asset', fileName, source: await bundlePageScript(entry, opts) });
      }
    },
  };
}
