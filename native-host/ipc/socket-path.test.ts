import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePaths } from '../paths.js';
import { ancestorProblem, checkSocketPath, ensureRunDir } from './socket-path.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-sockpath-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const uid = process.getuid?.() ?? 0;
/** A deep home, so the socket goes to TMPDIR/blindfill-UID/HASH (the shared fallback). */
const deep = (tmp: string) => resolvePaths({ BLINDFILL_HOME: path.join(dir, 'home', 'd'.repeat(100)), TMPDIR: tmp }, 'linux');

describe.skipIf(process.platform === 'win32')('socket path checks', () => {
  it('the paths: home/run normally; XDG_RUNTIME_DIR/blindfill/HASH, else TMPDIR/blindfill-UID/HASH, for a deep home', () => {
    const short = resolvePaths({ BLINDFILL_HOME: path.join(dir, 'h') }, 'linux');
    expect(short).toMatchObject({ runRoot: path.join(dir, 'h'), runDir: path.join(dir, 'h', 'run'), runShared: false });
    const t = deep('/var/tmp');
    expect(t.runRoot).toBe(`/var/tmp/blindfill-${uid}`);
    expect(t.runShared).toBe(true);
    expect(path.dirname(t.runDir)).toBe(t.runRoot);
    const x = resolvePaths({ BLINDFILL_HOME: path.join(dir, 'home', 'd'.repeat(100)), XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux');
    expect(x).toMatchObject({ runRoot: '/run/user/1000/blindfill', runShared: false });
    const relXdg = resolvePaths({ BLINDFILL_HOME: path.join(dir, 'home', 'd'.repeat(100)), XDG_RUNTIME_DIR: 'run/user' }, 'linux');
    expect(relXdg.runShared).toBe(true);
  });

  it('ensureRunDir makes every level 0700 and ours; checkSocketPath then passes', () => {
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp, { mode: 0o1777 });
    fs.chmodSync(tmp, 0o1777);
    const p = deep(tmp);
    expect(ensureRunDir(p)).toEqual({ ok: true, value: undefined });
    for (const d of [p.runRoot, p.runDir]) expect(fs.statSync(d).mode & 0o777).toBe(0o700);
    expect(checkSocketPath(p).ok).toBe(true);
  });

  it('a shared parent without the sticky bit is refused', () => {
    const tmp = path.join(dir, 'open');
    fs.mkdirSync(tmp);
    fs.chmodSync(tmp, 0o777);
    const p = deep(tmp);
    const r = ensureRunDir(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/mode 0777: others can replace/);
    expect(fs.existsSync(p.runRoot)).toBe(false);
  });

  it('a run directory with group or other bits, or a symbolic link in place of it, is refused', () => {
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    fs.chmodSync(tmp, 0o1777);
    const p = deep(tmp);
    expect(ensureRunDir(p).ok).toBe(true);
    fs.chmodSync(p.runRoot, 0o755);
    expect(checkSocketPath(p)).toMatchObject({ ok: false, code: 'INSECURE_PERMISSIONS' });
    fs.chmodSync(p.runRoot, 0o700);
    fs.rmSync(p.runDir, { recursive: true });
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(elsewhere, { mode: 0o700 });
    fs.symlinkSync(elsewhere, p.runDir);
    const r = checkSocketPath(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/symbolic link/);
  });

  it('the socket must be a socket, not a link or a file, with no group or other bits', () => {
    const p = resolvePaths({ BLINDFILL_HOME: path.join(dir, 'h') }, 'linux');
    fs.mkdirSync(p.runDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(p.socket, '');
    expect(checkSocketPath(p)).toMatchObject({ ok: false, message: expect.stringMatching(/not a socket/) });
    fs.rmSync(p.socket);
    fs.symlinkSync('/dev/null', p.socket);
    expect(checkSocketPath(p)).toMatchObject({ ok: false, message: expect.stringMatching(/symbolic link/) });
  });

  it('symbolic links above runRoot are followed and their targets checked', () => {
    const open = path.join(dir, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    const link = path.join(dir, 'link');
    fs.symlinkSync(open, link);
    expect(ancestorProblem(path.join(link, 'x'))).toMatch(/open has mode 0777/);
    expect(ancestorProblem(dir)).toBeNull();
  });
});
