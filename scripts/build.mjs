// npm run build: the bundled host/CLI (dist/blindfill.cjs) and the unpacked Chromium
// extension (dist/chromium/, by vite + @crxjs/vite-plugin), then the same extension for
// Firefox (dist/firefox/, scripts/build-firefox.mjs: a copy with a rewritten manifest).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // 'host' | 'extension' | undefined (both)

if (only !== 'extension') {
  await build({
    entryPoints: [path.join(root, 'native-host/main.ts')],
    outfile: path.join(root, 'dist/blindfill.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Native addons load from node_modules at run time.
    external: ['robotjs', '@napi-rs/keyring'],
    sourcemap: 'linked',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(path.join(root, 'dist/blindfill.cjs'), 0o755);
  process.stderr.write('built dist/blindfill.cjs\n');
}
if (only !== 'host') {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  process.stderr.write('built dist/chromium/\n');
  const { buildFirefox } = await import('./build-firefox.mjs');
  buildFirefox();
  process.stderr.write('built dist/firefox/\n');
}
