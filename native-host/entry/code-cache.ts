/**
 * Loading a bundle of dist/lib/ with V8's code cache.
 *
 * Node 20 has no compile cache (module.enableCompileCache is Node 22), and parsing a
 * bundle is most of a short command's start: `blindfill --version` spent 31 ms of its
 * 87 ms in compiling the 2.95 MB single bundle. So each bundle is compiled here with
 * vm.Script and the cachedData that `npm run build` wrote beside it (`X.cjs.cache`,
 * created by loading the bundle once in a fresh `node`). V8 checks the cache against
 * its own version, flags and the source; a cache it rejects (another Node, edited
 * bundle) is ignored and the bundle compiles as usual, so a stale cache only costs speed.
 * The cache is as trusted as the bundle: both are in the install directory.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export const cacheFileOf = (file: string): string => `${file}.cache`;

function readOptional(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

interface Loaded {
  exports: unknown;
  script: vm.Script;
  /** A cache was offered and V8 refused it. */
  cacheRejected: boolean;
}

/** Compile and evaluate a CommonJS bundle as `require` would, with its code cache when one fits. */
export function loadBundle(file: string, useCache = true): Loaded {
  const source = fs.readFileSync(file, 'utf8');
  const cachedData = useCache ? readOptional(cacheFileOf(file)) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: { exports: unknown }, f: string, d: string) => void;
  const mod = { exports: {} as unknown, filename: file, id: file };
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return { exports: mod.exports, script, cacheRejected: cachedData !== undefined && script.cachedDataRejected === true };
}

/**
 * Write FILE.cache: the bundle is evaluated (its modules' top-level code runs, which is
 * what every start pays; no role's main is called) and V8's code for everything compiled
 * so far is serialized. Atomic: a concurrent start reads the old cache or the new one.
 */
export function writeCodeCache(file: string): number {
  const { script } = loadBundle(file, false);
  const data = script.createCachedData();
  const target = cacheFileOf(file);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o644 });
  fs.renameSync(tmp, target);
  return data.length;
}
