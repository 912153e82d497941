/**
 * The program's entry (dist/blindfill.cjs): a router that loads only the bundle of the
 * role asked for (dist/lib/{cli,daemon,host,mcp,guard}.cjs, see process/bundles.ts) with its
 * V8 code cache (entry/code-cache.ts), and runs it. Nothing here imports the rest of
 * blindfill, so a command pays only for its own code.
 */
import fs from 'node:fs';
import { url as inspectorUrl } from 'node:inspector';
import path from 'node:path';
import { loadBundle, writeCodeCache } from './entry/code-cache.js';
import { BUNDLE_NODE_FLAGS, BUNDLES, bundleFor } from './process/bundles.js';
import { scrubOwnEnv, unsafeRuntime } from './process/runtime.js';
import type { BundleMain } from './entry/types.js';

/** The command that runs this program again (the daemon is started as `SELF daemon`). */
function selfCommand(): string[] {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot locate the blindfill program');
  let real = script;
  try {
    real = fs.realpathSync(script);
  } catch {
    /* keep as given */
  }
  return [process.execPath, real];
}

const libDir = (): string => path.join(__dirname, 'lib');

export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  const name = bundleFor(argv);
  // Before any bundle loads: a process with a debugger port or injected code gets no vault.
  const unsafe = unsafeRuntime(process.execArgv, process.env.NODE_OPTIONS, inspectorUrl());
  if (unsafe !== null) {
    process.stderr.write(`error UNSAFE_RUNTIME: refusing to run: ${unsafe}; unset NODE_OPTIONS or drop the flag\n`);
    process.exitCode = 1;
    return;
  }
  // The processes that hold the vault or talk to the browser keep only what they need.
  if (name === 'daemon' || name === 'host') scrubOwnEnv();
  try {
    const { exports } = loadBundle(path.join(libDir(), `${name}.cjs`));
    const main = (exports as { main?: BundleMain }).main;
    if (typeof main !== 'function') throw new Error(`dist/lib/${name}.cjs has no main`);
    process.exitCode = await main(argv, selfCommand());
  } catch (e) {
    process.stderr.write(`error INTERNAL: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

/**
 * Used by scripts/build.mjs, in a fresh `node` started with BUNDLE_NODE_FLAGS[name]:
 * writes DIR/NAME.cjs.cache (DIR: the bundles being built, dist/lib by default).
 */
export function writeCodeCacheFor(name: string, dir: string = libDir()): number {
  if (!(BUNDLES as readonly string[]).includes(name)) throw new Error(`no bundle ${name}`);
  return writeCodeCache(path.join(dir, `${name}.cjs`));
}

export { BUNDLE_NODE_FLAGS };

if (require.main === module) void run();
