/**
 * The vault file on disk: a private directory, a permission-checked read, and an atomic
 * replace that keeps the previous vault as `<path>.bak`. Synchronous: the daemon is the
 * only writer and serializes writes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from '../../shared/errors.js';

/** A vault larger than this is not something we wrote. */
export const MAX_VAULT_BYTES = 64 * 1024 * 1024;

const POSIX = process.platform !== 'win32';

function errnoOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string') return err.syscall ? `${err.code} (${err.syscall})` : err.code;
  return 'unknown error';
}

/** Why a path is not private to us, or null when it is (POSIX only; Windows relies on ACLs of %APPDATA%). */
function privacyProblem(st: fs.Stats, what: string, kind: 'file' | 'dir'): string | null {
  if (st.isSymbolicLink()) return `${what} is a symbolic link`;
  if (kind === 'file' && !st.isFile()) return `${what} is not a regular file`;
  if (kind === 'dir' && !st.isDirectory()) return `${what} is not a directory`;
  if (!POSIX) return null;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `${what} is owned by uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o077) !== 0) return `${what} has mode 0${(st.mode & 0o777).toString(8)}; expected 0${kind === 'dir' ? 700 : 600}`;
  return null;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** mkdir -p with 0700; an existing directory must already be private to us. */
export function ensurePrivateDir(dir: string): Result<void> {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    const problem = privacyProblem(st, dir, 'dir');
    return problem ? fail('INSECURE_PERMISSIONS', `refusing to use ${problem}`) : ok(undefined);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EEXIST') {
      return fail('INSECURE_PERMISSIONS', `cannot create the private directory ${dir}: ${errnoOf(e)}`);
    }
    return fail('WRITE_FAILED', `cannot create the private directory ${dir}: ${errnoOf(e)}`);
  }
}

/** Read the vault; refuses symlinks, non-regular files and anything group/other can touch. */
export function readVaultFile(file: string): Result<Buffer> {
  const dir = path.dirname(path.resolve(file));
  let fd: number | undefined;
  try {
    const dst = lstatOrNull(dir);
    if (!dst) return fail('VAULT_ABSENT', `no vault at ${file}`);
    const dirProblem = privacyProblem(dst, `the vault directory ${dir}`, 'dir');
    if (dirProblem) return fail('INSECURE_PERMISSIONS', `refusing to read the vault: ${dirProblem}`);
    const st = lstatOrNull(file);
    if (!st) return fail('VAULT_ABSENT', `no vault at ${file}`);
    const problem = privacyProblem(st, `the vault ${file}`, 'file');
    if (problem) return fail('INSECURE_PERMISSIONS', `refusing to read the vault: ${problem}`);
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const fst = fs.fstatSync(fd);
    if (fst.ino !== st.ino || fst.dev !== st.dev) return fail('INSECURE_PERMISSIONS', `the vault ${file} changed while being opened`);
    if (fst.size > MAX_VAULT_BYTES) return fail('VAULT_CORRUPT', `the vault ${file} is implausibly large (${fst.size} bytes)`);
    const buf = Buffer.alloc(fst.size);
    let off = 0;
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off !== buf.length) return fail('VAULT_CORRUPT', `the vault ${file} shrank while being read`);
    return ok(buf);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('VAULT_ABSENT', `no vault at ${file}`);
    if (code === 'ELOOP') return fail('INSECURE_PERMISSIONS', `refusing to read the vault: ${file} is a symbolic link`);
    if (code === 'EACCES' || code === 'EPERM') return fail('INSECURE_PERMISSIONS', `cannot read the vault ${file}: ${errnoOf(e)}`);
    return fail('VAULT_CORRUPT', `cannot read the vault ${file}: ${errnoOf(e)}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tempName(file: string, kind: string): string {
  return `${file}.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

function unlinkQuietly(p: string | undefined): void {
  if (p === undefined) return;
  try {
    fs.unlinkSync(p);
  } catch {
    /* already gone */
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

/** Link (or, where hard links are unsupported, copy) the current vault to `<file>.bak`. */
function keepBackup(file: string): string | undefined {
  const st = lstatOrNull(file);
  if (!st?.isFile()) return undefined;
  const tmp = tempName(file, 'bak-tmp');
  try {
    fs.linkSync(file, tmp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw e;
    fs.copyFileSync(file, tmp, fs.constants.COPYFILE_EXCL);
  }
  return tmp;
}

function fsyncDir(dir: string): void {
  if (!POSIX) return;
  const fd = fs.openSync(dir, fs.constants.O_RDONLY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replace the vault atomically: write a 0600 temp file in the same directory, fsync it,
 * keep the old vault as `<file>.bak`, rename over, fsync the directory. WRITE_FAILED always
 * means the file at `file` is still the old vault (the temp file is removed).
 */
export function writeVaultAtomic(file: string, bytes: Buffer): Result<void> {
  const dir = path.dirname(path.resolve(file));
  const tmp = tempName(file, 'tmp');
  let createdTmp = false;
  let bakTmp: string | undefined;
  try {
    const fd = fs.openSync(tmp, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    createdTmp = true;
    try {
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    bakTmp = keepBackup(file);
    if (bakTmp !== undefined) {
      fs.renameSync(bakTmp, `${file}.bak`);
      bakTmp = undefined;
    }
    fs.renameSync(tmp, file);
    createdTmp = false;
  } catch (e) {
    if (createdTmp) unlinkQuietly(tmp);
    unlinkQuietly(bakTmp);
    return fail('WRITE_FAILED', `cannot write the vault ${file}: ${errnoOf(e)}; the previous vault is unchanged`);
  }
  // The new vault is in place and readable. A failed directory fsync (EINVAL on some
  // file systems, EIO) only leaves the rename's durability across a power cut uncertain;
  // reporting WRITE_FAILED now would break the rule "WRITE_FAILED => old vault on disk".
  try {
    fsyncDir(dir);
  } catch {
    /* see above */
  }
  return ok(undefined);
}
