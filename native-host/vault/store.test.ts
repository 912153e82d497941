import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, readVaultFile, writeVaultAtomic } from './store.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CANARY = 'CANARY-store-31d9c0-swordfish';
const isRoot = process.getuid?.() === 0;

/** A child-process driver for the store, bundled from the TypeScript source. */
const CHILD_SRC = `
import fs from 'node:fs';
import path from 'node:path';
import { readVaultFile, writeVaultAtomic } from './store.ts';
const [cmd, file, a, b] = process.argv.slice(2);
const out = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
if (cmd === 'write') out(writeVaultAtomic(file, fs.readFileSync(a)));
if (cmd === 'enospc') {
  const dir = path.dirname(file);
  fs.chmodSync(dir, 0o700);
  const old = Buffer.alloc(4096, 'o');
  const first = writeVaultAtomic(file, old);
  const second = writeVaultAtomic(file, Buffer.alloc(256 * 1024, 'n'));
  const after = readVaultFile(file);
  out({ first, second, intact: after.ok && Buffer.from(after.value).equals(old), files: fs.readdirSync(dir).sort() });
}
if (cmd === 'loop') {
  const va = fs.readFileSync(a), vb = fs.readFileSync(b);
  out('ready');
  for (;;) { writeVaultAtomic(file, va); writeVaultAtomic(file, vb); }
}
`;

let tmp: string;
let dir: string;
let vault: string;
let childJs: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-store-'));
  childJs = path.join(tmp, 'store-child.cjs');
  buildSync({ stdin: { contents: CHILD_SRC, resolveDir: HERE, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile: childJs, logLevel: 'silent' });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
beforeEach(() => {
  dir = path.join(tmp, `home${n++}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  vault = path.join(dir, 'vault.bfv');
});

function runChild(args: string[], shellPrefix = ''): { out: unknown; status: number | null; stderr: string } {
  const cmd = `${shellPrefix}exec "${process.execPath}" "${childJs}" ${args.map((a) => `"${a}"`).join(' ')}`;
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', timeout: 20_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { out: line ? JSON.parse(line) : undefined, status: r.status, stderr: r.stderr };
}

function leftovers(d = dir): string[] {
  return fs.readdirSync(d).filter((f) => f.includes('.tmp-') || f.includes('.bak-tmp-'));
}

describe('ensurePrivateDir', () => {
  it('creates missing directories with mode 0700', () => {
    const d = path.join(dir, 'a', 'b');
    expect(ensurePrivateDir(d)).toEqual({ ok: true, value: undefined });
    expect(fs.statSync(d).mode & 0o777).toBe(0o700);
    expect(ensurePrivateDir(d).ok).toBe(true);
  });

  it('refuses an existing loose directory, a symlink, a file, or one owned by someone else', () => {
    const loose = path.join(dir, 'loose');
    fs.mkdirSync(loose, { mode: 0o700 });
    fs.chmodSync(loose, 0o750);
    expect(ensurePrivateDir(loose)).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
    expect(fs.statSync(loose).mode & 0o777).toBe(0o750);
    const real = path.join(dir, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    fs.symlinkSync(real, path.join(dir, 'link'));
    expect(ensurePrivateDir(path.join(dir, 'link'))).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(ensurePrivateDir(path.join(dir, 'file'))).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
    if (isRoot) {
      const other = path.join(dir, 'other');
      fs.mkdirSync(other, { mode: 0o700 });
      fs.chownSync(other, 12345, 12345);
      expect(ensurePrivateDir(other)).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
    }
  });
});

describe('readVaultFile', () => {
  it('VAULT_ABSENT when the vault or its directory is missing', () => {
    expect(readVaultFile(vault)).toMatchObject({ ok: false, code: 'VAULT_ABSENT' });
    expect(readVaultFile(path.join(dir, 'nope', 'vault.bfv'))).toMatchObject({ ok: false, code: 'VAULT_ABSENT' });
  });

  it('reads a 0600 vault in a 0700 directory', () => {
    expect(writeVaultAtomic(vault, Buffer.from(CANARY)).ok).toBe(true);
    const r = readVaultFile(vault);
    expect(r.ok && r.value.toString()).toBe(CANARY);
  });

  it('refuses a symlinked vault, a 0644 vault, a loose or symlinked directory, a non-regular file, without changing anything', () => {
    fs.writeFileSync(vault, CANARY, { mode: 0o600 });
    const target = path.join(dir, 'elsewhere.bfv');
    fs.writeFileSync(target, CANARY, { mode: 0o600 });
    const link = path.join(dir, 'link.bfv');
    fs.symlinkSync(target, link);
    const cases: [string, () => void, () => void][] = [
      [link, () => {}, () => {}],
      [vault, () => fs.chmodSync(vault, 0o644), () => fs.chmodSync(vault, 0o600)],
      [vault, () => fs.chmodSync(vault, 0o640), () => fs.chmodSync(vault, 0o600)],
      [vault, () => fs.chmodSync(dir, 0o755), () => fs.chmodSync(dir, 0o700)],
      [vault, () => fs.chmodSync(dir, 0o710), () => fs.chmodSync(dir, 0o700)],
    ];
    for (const [file, before, after] of cases) {
      before();
      const mode = fs.lstatSync(file).mode;
      const dirMode = fs.statSync(dir).mode;
      const r = readVaultFile(file);
      expect(r).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
      if (!r.ok) expect(r.message).not.toContain(CANARY);
      expect(fs.lstatSync(file).mode).toBe(mode);
      expect(fs.statSync(dir).mode).toBe(dirMode);
      after();
    }
    const linkedDir = path.join(tmp, `linked-${n}`);
    fs.symlinkSync(dir, linkedDir);
    expect(readVaultFile(path.join(linkedDir, 'vault.bfv'))).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
    fs.mkdirSync(path.join(dir, 'adir.bfv'), { mode: 0o700 });
    expect(readVaultFile(path.join(dir, 'adir.bfv'))).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
    expect(fs.readFileSync(vault, 'utf8')).toBe(CANARY);
  });

  it.runIf(isRoot)('refuses a vault owned by another uid', () => {
    fs.writeFileSync(vault, 'x', { mode: 0o600 });
    fs.chownSync(vault, 12345, 12345);
    expect(readVaultFile(vault)).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
  });
});

describe('writeVaultAtomic', () => {
  it('creates a 0600 vault, replaces it, keeps the previous one as .bak, leaves no temp files', () => {
    expect(writeVaultAtomic(vault, Buffer.from('one'))).toEqual({ ok: true, value: undefined });
    expect(fs.statSync(vault).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${vault}.bak`)).toBe(false);
    expect(writeVaultAtomic(vault, Buffer.from('two')).ok).toBe(true);
    expect(fs.readFileSync(vault, 'utf8')).toBe('two');
    expect(fs.readFileSync(`${vault}.bak`, 'utf8')).toBe('one');
    expect(writeVaultAtomic(vault, Buffer.from('three')).ok).toBe(true);
    expect(fs.readFileSync(vault, 'utf8')).toBe('three');
    expect(fs.readFileSync(`${vault}.bak`, 'utf8')).toBe('two');
    expect(fs.statSync(`${vault}.bak`).mode & 0o777).toBe(0o600);
    expect(leftovers()).toEqual([]);
    expect(readVaultFile(vault).ok).toBe(true);
  });

  it('WRITE_FAILED naming the errno when the directory is missing', () => {
    const r = writeVaultAtomic(path.join(dir, 'missing', 'vault.bfv'), Buffer.from(CANARY));
    expect(r).toMatchObject({ ok: false, code: 'WRITE_FAILED' });
    if (!r.ok) {
      expect(r.message).toMatch(/ENOENT/);
      expect(r.message).not.toContain(CANARY);
    }
  });

  it('file too large (ulimit -f in a child): WRITE_FAILED (EFBIG), old vault and backup intact, temp removed', () => {
    expect(writeVaultAtomic(vault, Buffer.from('old-0')).ok).toBe(true);
    expect(writeVaultAtomic(vault, Buffer.from('old-1')).ok).toBe(true);
    const big = path.join(tmp, `big-${n}`);
    fs.writeFileSync(big, Buffer.alloc(64 * 1024, CANARY));
    const r = runChild(['write', vault, big], 'ulimit -f 8; ');
    expect(r.out).toMatchObject({ ok: false, code: 'WRITE_FAILED' });
    expect((r.out as { message: string }).message).toMatch(/EFBIG/);
    expect((r.out as { message: string }).message).not.toContain(CANARY);
    expect(fs.readFileSync(vault, 'utf8')).toBe('old-1');
    expect(fs.readFileSync(`${vault}.bak`, 'utf8')).toBe('old-0');
    expect(leftovers()).toEqual([]);
  });

  it('disk full (a 64 KiB tmpfs in a private mount namespace): WRITE_FAILED (ENOSPC), old vault intact', (ctx) => {
    const probe = spawnSync('unshare', ['--mount', '--map-root-user', 'true'], { timeout: 5_000 });
    if (probe.status !== 0) ctx.skip();
    const mnt = path.join(tmp, `mnt-${n}`);
    fs.mkdirSync(mnt, { mode: 0o700 });
    const file = path.join(mnt, 'vault.bfv');
    const r = spawnSync(
      'unshare',
      ['--mount', '--map-root-user', 'sh', '-c', `mount -t tmpfs -o size=64k,mode=0700 tmpfs "${mnt}" || exit 77; exec "${process.execPath}" "${childJs}" enospc "${file}"`],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (r.status === 77) ctx.skip();
    const out = JSON.parse(r.stdout.trim()) as { first: { ok: boolean }; second: { ok: boolean; code: string; message: string }; intact: boolean; files: string[] };
    expect(out.first.ok).toBe(true);
    expect(out.second).toMatchObject({ ok: false, code: 'WRITE_FAILED' });
    expect(out.second.message).toMatch(/ENOSPC/);
    expect(out.intact).toBe(true);
    expect(out.files).toEqual(['vault.bfv']);
  });

  it('a writer killed at random moments always leaves the whole old or the whole new vault', async () => {
    const a = Buffer.alloc(48 * 1024, 'a');
    const b = Buffer.alloc(48 * 1024, 'b');
    const fa = path.join(tmp, `a-${n}`);
    const fb = path.join(tmp, `b-${n}`);
    fs.writeFileSync(fa, a);
    fs.writeFileSync(fb, b);
    writeVaultAtomic(vault, a);
    for (let i = 0; i < 8; i++) {
      const child = spawn(process.execPath, [childJs, 'loop', vault, fa, fb], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 60));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      for (const f of [vault, `${vault}.bak`]) {
        const got = fs.readFileSync(f);
        expect(got.equals(a) || got.equals(b), `${f} after kill ${i}`).toBe(true);
      }
      const r = readVaultFile(vault);
      expect(r.ok).toBe(true);
    }
  });
});
