// npm run package: a Chrome Web Store upload of the built extension.
// Zips dist/chromium/ into dist/blindfill-chromium-<version>.zip with manifest.json's `key`
// removed (the Web Store refuses uploads that carry one; it assigns the ID itself), while
// dist/chromium/manifest.json keeps it so the unpacked extension's ID stays fixed.
// fflate (pure JS, maintained, no dependencies) rather than the `zip` program, which a
// fresh machine may lack. Entries are sorted and dated 1980-01-01 so the zip is reproducible.
//
// usage: node scripts/package.mjs [--in DIR] [--out FILE]
import { zipSync } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { in: { type: 'string' }, out: { type: 'string' } } });
const inDir = path.resolve(values.in ?? path.join(root, 'dist/chromium'));

const manifestPath = path.join(inDir, 'manifest.json');
if (!fs.existsSync(manifestPath)) {
  process.stderr.write(`error: ${manifestPath} not found: build the extension first (node scripts/build.mjs extension)\n`);
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
if (typeof manifest.version !== 'string' || !/^\d+(\.\d+){0,3}$/.test(manifest.version)) {
  process.stderr.write('error: manifest.json has no valid "version"\n');
  process.exit(1);
}
const { key: _key, ...storeManifest } = manifest;
const out = path.resolve(values.out ?? path.join(root, 'dist', `blindfill-chromium-${manifest.version}.zip`));

const MTIME = new Date(1980, 0, 1, 0, 0, 0);
const files = {};
function walk(dir, rel) {
  for (const name of fs.readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) throw new Error(`refusing to package a symbolic link: ${r}`);
    if (st.isDirectory()) walk(abs, r);
    else if (st.isFile()) {
      // Source maps and the Vite build manifest are not part of the extension.
      if (r.endsWith('.map') || r === '.vite/manifest.json' || r.startsWith('.vite/')) continue;
      const data = r === 'manifest.json' ? Buffer.from(`${JSON.stringify(storeManifest, null, 2)}\n`) : fs.readFileSync(abs);
      files[r] = [new Uint8Array(data), { mtime: MTIME }];
    }
  }
}
walk(inDir, '');
const zip = zipSync(files, { level: 9 });
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, zip);
process.stdout.write(`${out}\n`);
process.stderr.write(`packaged ${Object.keys(files).length} files (${zip.length} bytes); manifest.json without "key"\n`);
