/**
 * Is the daemon socket's path ours? Checked by the client before it connects (it is about
 * to send a passphrase) and by both sides before they create the run directory.
 *
 * - Above `runRoot` (see Paths): every directory, symbolic links followed, must belong to
 *   root or to us and be writable by nobody else, unless it has the sticky bit (/tmp).
 *   A symbolic link on the way must belong to root or to us.
 * - From `runRoot` down to `runDir`: real directories (no symbolic link), ours, mode 0700.
 * - The socket: a socket (no symbolic link), ours, no group or other bits.
 *
 * Then only we (or root) can have put a listener there. POSIX only. On Windows the socket
 * is a named pipe: libuv creates it with FILE_FLAG_FIRST_PIPE_INSTANCE (a daemon cannot
 * start behind a pipe someone else holds: EADDRINUSE) and the default DACL (full control
 * for the owner, SYSTEM and Administrators; read for Everyone, which cannot send a
 * request). The client does not verify the pipe server's owner (Node exposes no
 * GetNamedPipeServerProcessId): see THREAT_MODEL.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { Paths } from '../paths.js';

const POSIX = process.platform !== 'win32';
const MAX_LINKS = 32;

function uidNow(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw e;
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

/** Why a directory above runRoot is unsafe, or null. Missing components are not a problem here. */
export function ancestorProblem(dir: string, uid: number = uidNow(), depth = 0): string | null {
  if (depth > MAX_LINKS) return `${dir}: too many symbolic links`;
  const abs = path.resolve(dir);
  const parts = abs.split(path.sep).filter((x) => x !== '');
  let cur: string = path.sep;
  const check = (p: string, st: fs.Stats): string | null => {
    if (!st.isDirectory()) return `${p} is not a directory`;
    if (st.uid !== 0 && st.uid !== uid) return `${p} is owned by uid ${st.uid}, not root or ${uid}`;
    if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) return `${p} has mode ${octal(st.mode)}: others can replace what is in it`;
    return null;
  };
  const rootSt = fs.lstatSync(cur);
  const rootProblem = check(cur, rootSt);
  if (rootProblem) return rootProblem;
  for (const part of parts) {
    const next = path.join(cur, part);
    const st = lstatOrNull(next);
    if (st === null) return null; // created later, privately, by ensureRunDir
    if (st.isSymbolicLink()) {
      if (st.uid !== 0 && st.uid !== uid) return `${next} is a symbolic link owned by uid ${st.uid}`;
      let target: string;
      try {
        target = fs.realpathSync(next);
      } catch {
        return `${next} is a dangling symbolic link`;
      }
      const p = ancestorProblem(target, uid, depth + 1);
      if (p) return p;
      cur = target;
      continue;
    }
    const p = check(next, st);
    if (p) return p;
    cur = next;
  }
  return null;
}

/** Why a directory at or below runRoot is not private to us, or null (also null when absent). */
function privateDirProblem(dir: string, uid: number): string | null {
  const st = lstatOrNull(dir);
  if (st === null) return null;
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (st.uid !== uid) return `${dir} is owned by uid ${st.uid}, not ${uid}`;
  if ((st.mode & 0o077) !== 0) return `${dir} has mode ${octal(st.mode)}; expected 0700`;
  return null;
}

/** runRoot, then each directory below it down to runDir. */
function privateChain(paths: Paths): string[] {
  const rel = path.relative(paths.runRoot, paths.runDir);
  const out = [paths.runRoot];
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return out;
  let cur = paths.runRoot;
  for (const part of rel.split(path.sep)) {
    cur = path.join(cur, part);
    out.push(cur);
  }
  return out;
}

function insecure(problem: string): Result<never> {
  return fail('INSECURE_PERMISSIONS', `refusing to use the daemon socket: ${problem}`);
}

/**
 * Check the directories and, when it exists, the socket. Nothing is created or changed.
 * Absent components pass (the daemon is not running yet); ensureRunDir makes them.
 */
export function checkSocketPath(paths: Paths, uid: number = uidNow()): Result<void> {
  if (!POSIX) return ok(undefined);
  try {
    const above = ancestorProblem(path.dirname(paths.runRoot), uid);
    if (above) return insecure(above);
    for (const d of privateChain(paths)) {
      const p = privateDirProblem(d, uid);
      if (p) return insecure(p);
    }
    const st = lstatOrNull(paths.socket);
    if (st !== null) {
      if (st.isSymbolicLink()) return insecure(`${paths.socket} is a symbolic link`);
      if (!st.isSocket()) return insecure(`${paths.socket} is not a socket`);
      if (st.uid !== uid) return insecure(`${paths.socket} is owned by uid ${st.uid}, not ${uid}`);
      if ((st.mode & 0o077) !== 0) return insecure(`${paths.socket} has mode ${octal(st.mode)}; expected 0600`);
    }
    return ok(undefined);
  } catch (e) {
    return insecure(`cannot inspect ${paths.runDir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** Create runRoot … runDir (0700, one level at a time, never through a link), then check it all. */
export function ensureRunDir(paths: Paths, uid: number = uidNow()): Result<void> {
  if (!POSIX) {
    try {
      fs.mkdirSync(paths.runDir, { recursive: true });
      return ok(undefined);
    } catch (e) {
      return fail('WRITE_FAILED', `cannot create ${paths.runDir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  try {
    const above = ancestorProblem(path.dirname(paths.runRoot), uid);
    if (above) return insecure(above);
    // Above runRoot (e.g. a BLINDFILL_HOME whose parents do not exist yet): ordinary mkdir -p.
    fs.mkdirSync(path.dirname(paths.runRoot), { recursive: true, mode: 0o700 });
    for (const d of privateChain(paths)) {
      try {
        fs.mkdirSync(d, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR') return insecure(`cannot create ${paths.runDir}: ${code}`);
    return fail('WRITE_FAILED', `cannot create ${paths.runDir}: ${code}`);
  }
  return checkSocketPath(paths, uid);
}
