// npm run build: the host/CLI (dist/blindfill.cjs, a router, and dist/lib/*.cjs) and the unpacked Chromium
// extension (dist/chromium/, by vite + @crxjs/vite-plugin), then the same extension for
// Firefox (dist/firefox/, scripts/build-firefox.mjs: a copy with a rewritten manifest).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // 'host' | 'extension' | undefined (both)

if (only !== 'extension') {
  // dist/blindfill.cjs is a small router; each role is its own bundle in dist/lib/, so a
  // process parses only its own code (native-host/main.ts, native-host/entry/).
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Native addons, x11 (pure JS, half the daemon's size, used only when typing) and the
    // passphrase-strength estimator (~6 MB of dictionaries, used only by init and passwd)
    // load from node_modules at run time.
    external: ['robotjs', '@napi-rs/keyring', 'x11', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en'],
    sourcemap: 'linked',
    logLevel: 'warning',
    minify: true,
    keepNames: true,
  };
  // Built beside dist/lib and swapped in at the end, so processes (a test run, a daemon
  // starting) never find dist/lib half written.
  const libDir = path.join(root, 'dist/lib');
  const nextDir = path.join(root, `dist/lib.next-${process.pid}`);
  rmSync(nextDir, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: Object.fromEntries(['cli', 'daemon', 'host', 'mcp', 'guard'].map((n) => [n, path.join(root, `native-host/entry/${n}.ts`)])),
    outdir: nextDir,
    outExtension: { '.js': '.cjs' },
  });
  const routerOut = await build({ ...common, entryPoints: [path.join(root, 'native-host/main.ts')], outfile: path.join(root, 'dist/blindfill.cjs'), banner: { js: '#!/usr/bin/env node' }, write: false });
  for (const f of routerOut.outputFiles) {
    const tmp = `${f.path}.next-${process.pid}`;
    writeFileSync(tmp, f.contents, { mode: f.path.endsWith('.cjs') ? 0o755 : 0o644 });
    renameSync(tmp, f.path);
  }
  // V8 code caches beside the bundles, each made by a fresh node with the flags that
  // bundle runs under (a later Node, or other flags, reject them and compile as usual).
  const router = path.join(root, 'dist/blindfill.cjs');
  const { BUNDLE_NODE_FLAGS } = createRequire(import.meta.url)(router);
  for (const [name, flags] of Object.entries(BUNDLE_NODE_FLAGS)) {
    const r = spawnSync(process.execPath, [...flags, '-e', 'require(process.argv[1]).writeCodeCacheFor(process.argv[2], process.argv[3])', router, name, nextDir], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const oldDir = path.join(root, `dist/lib.old-${process.pid}`);
  if (existsSync(libDir)) renameSync(libDir, oldDir);
  renameSync(nextDir, libDir);
  rmSync(oldDir, { recursive: true, force: true });
  process.stderr.write('built dist/blindfill.cjs, dist/lib/\n');
}
if (only !== 'host') {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  process.stderr.write('built dist/chromium/\n');
  const { buildFirefox } = await import('./build-firefox.mjs');
  buildFirefox();
  process.stderr.write('built dist/firefox/\n');
}
