/**
 * scripts/package.mjs (npm run package): the Web Store zip holds every file of the built
 * extension, its manifest.json without `key`, while the unpacked build keeps the key.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../core/cli.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-pkg-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const pkg = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), ...args], { encoding: 'utf8' });

describe('npm run package', () => {
  it('zips the extension with the key stripped from manifest.json only in the zip; reproducibly', () => {
    const ext = path.join(tmp, 'chromium');
    fs.mkdirSync(path.join(ext, 'assets'), { recursive: true });
    const manifest = { manifest_version: 3, name: 'blindfill', version: '1.2.3', key: 'MIIBIjANBgkq...', permissions: ['nativeMessaging'] };
    fs.writeFileSync(path.join(ext, 'manifest.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(ext, 'assets', 'worker.js'), 'console.log(1)');
    fs.writeFileSync(path.join(ext, 'assets', 'worker.js.map'), '{}');
    const out = path.join(tmp, 'out', 'x.zip');
    const r = pkg('--in', ext, '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const files = unzipSync(fs.readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['assets/worker.js', 'manifest.json']);
    const zipped = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
    const { key: _k, ...rest } = manifest;
    expect(zipped).toEqual(rest);
    expect(JSON.parse(fs.readFileSync(path.join(ext, 'manifest.json'), 'utf8')).key).toBe(manifest.key);
    const first = fs.readFileSync(out);
    expect(pkg('--in', ext, '--out', out).status).toBe(0);
    expect(fs.readFileSync(out).equals(first)).toBe(true);
  });

  it('names the zip after the version by default and refuses a missing build', () => {
    const missing = pkg('--in', path.join(tmp, 'nothing'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/build the extension first/);
    const built = path.join(ROOT, 'dist', 'chromium', 'manifest.json');
    if (!fs.existsSync(built)) return; // the extension build is npm run build's job
    const version = JSON.parse(fs.readFileSync(built, 'utf8')).version as string;
    const out = path.join(tmp, `blindfill-chromium-${version}.zip`);
    const r = pkg('--out', out);
    expect(r.status).toBe(0);
    const zipped = JSON.parse(Buffer.from(unzipSync(fs.readFileSync(out))['manifest.json']!).toString('utf8'));
    expect(zipped.key).toBeUndefined();
    expect(zipped.version).toBe(version);
  });
});
